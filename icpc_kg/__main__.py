from icpc_kg.cli import main

main()
