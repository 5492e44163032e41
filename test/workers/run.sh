#!/bin/bash
# A wrapper worker, as users write them: bash starts the Python that speaks the protocol and stays its
# parent (the exit line stops bash from exec'ing Python), so the worker process gradcheck started is
# not the one that answers. Usage: bash run.sh PYTHON MODE (fault_worker.py's modes).
"$1" "$(dirname "$0")/fault_worker.py" "$2"
exit $?
