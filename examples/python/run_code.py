# The code interpreter (the `run_code` the user document refers to), as the e2b-code-interpreter SDK documents it:
# Sandbox.create() with no template takes the SDK's default template, code-interpreter-v1, a pool `up` creates.
#   set -a; source ~/.kruise-agents/e2b.env; set +a
#   python3 examples/python/run_code.py

from e2b_code_interpreter import Sandbox

with Sandbox.create() as sandbox:
    sandbox.run_code("x = 1")
    execution = sandbox.run_code("x+=1; x")
    print(execution.text)  # outputs 2
