#! server: writable
#! about: COPY between graphs named by URLs copies inside the store and fetches nothing
#! http: 204
COPY SILENT <http://⟪LISTENER⟫/a> TO <http://⟪LISTENER⟫/b>
