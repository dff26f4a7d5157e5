#! server: writable
#! about: ADD between graphs named by URLs copies inside the store and fetches nothing
#! http: 204
ADD SILENT <http://⟪LISTENER⟫/a> TO <http://⟪LISTENER⟫/b>
