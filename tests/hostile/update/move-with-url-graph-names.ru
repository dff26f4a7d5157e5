#! server: writable
#! about: MOVE between graphs named by URLs copies inside the store and fetches nothing
#! http: 204
MOVE SILENT <http://⟪LISTENER⟫/a> TO <http://⟪LISTENER⟫/b>
