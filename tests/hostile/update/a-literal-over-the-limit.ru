#! server: writable
#! about: an update with one literal over --max-literal (100000 on this server)
#! http: 413 VALUE_TOO_LARGE
INSERT DATA { <urn:a> <urn:b> "⟪150000×x⟫" }
