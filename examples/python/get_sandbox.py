# From the user document "获取沙箱" (get a sandbox), verbatim. The E2B SDK reads its configuration from the
# environment, which `kruise-agents up` writes to e2b.env:
#   set -a; source ~/.kruise-agents/e2b.env; set +a
#   python3 examples/python/get_sandbox.py

from e2b_code_interpreter import Sandbox

with Sandbox.create(template="demo") as sbx:
    print(sbx.get_info())
