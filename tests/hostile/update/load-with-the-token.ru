#! server: writable
#! about: LOAD with a valid token fetched the URL
#! http: 400 REFUSED
LOAD <http://⟪LISTENER⟫/x.ttl>
