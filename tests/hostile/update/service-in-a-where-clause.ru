#! server: writable
#! about: SERVICE in an update's WHERE
#! http: 400 REFUSED
INSERT { ?s ?p ?o } WHERE { SERVICE <http://⟪LISTENER⟫/> { ?s ?p ?o } }
