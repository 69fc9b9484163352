from vlabib.cli import main

main(prog_name="vlabib")
