# From the user document "获取沙箱" (get a sandbox), verbatim. The E2B SDK reads its configuration from the
# environment, which `kruise-agents up` writes to e2b.env:
#   set -a; source ~/.kruise-agents/e2b.env; set +a
#   python3 examples/python/timeout.py

from e2b_code_interpreter import Sandbox

Sandbox.create(template="demo", timeout=600)  # timeout in seconds
