#! server: writable
#! about: LOAD hidden behind a comment ended by CR
#! http: 400 REFUSED
INSERT DATA { <urn:a> <urn:b> <urn:c> } ; #⟪CR⟫LOAD <http://⟪LISTENER⟫/x.ttl>
