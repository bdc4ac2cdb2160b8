# From the user document "获取沙箱" (get a sandbox), verbatim. The E2B SDK reads its configuration from the
# environment, which `kruise-agents up` writes to e2b.env:
#   set -a; source ~/.kruise-agents/e2b.env; set +a
#   python3 examples/python/metadata.py

from e2b_code_interpreter import Sandbox, SandboxQuery

Sandbox.create(template="demo", metadata={"userId": "alice"})
paginator = Sandbox.list(query=SandboxQuery(metadata={"userId": "alice"}))
print(paginator.next_items())
