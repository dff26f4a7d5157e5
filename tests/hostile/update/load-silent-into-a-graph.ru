#! server: writable
#! about: LOAD SILENT ... INTO GRAPH
#! http: 400 REFUSED
LOAD SILENT <http://⟪LISTENER⟫/x.ttl> INTO GRAPH <urn:x>
