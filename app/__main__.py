import sys

from .cli import main

# Guarded, so that importing the module (tools, tests) does not run the CLI.
if __name__ == "__main__":
    sys.exit(main())
