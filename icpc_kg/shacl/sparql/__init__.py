"""SHACL-SPARQL (chapters 5 and 6 of the spec) and SHACL-AF SPARQL-based targets.

================  ================================================================
``syntax.py``     tokens, prefixes, $PATH, constants; the pre-binding rules
``query.py``      a query made ready to run, and run for every focus node at once
``constraints.py`` sh:sparql (SELECT), SELECT- and ASK-based validators
``components.py`` constraint components a shapes graph declares; SPARQL targets
================  ================================================================
"""
