"""Drives the PyPI e2b and e2b-code-interpreter SDKs (debug mode: localhost:49983/49999) against agent-runtime.

Prints one line per check and "ALL OK" at the end; any failure raises (non-zero exit, traceback on stderr).
"""
import asyncio
import time

from e2b import AsyncSandbox, CommandExitException, NotFoundException, PtySize, Sandbox
from e2b_code_interpreter import Sandbox as CodeInterpreter


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError(f"{name} failed {detail}")
    print("ok", name, flush=True)


sbx = Sandbox.create(debug=True)
r = sbx.commands.run("echo py; echo err >&2")
check("commands.run", r.stdout == "py\n" and r.stderr == "err\n" and r.exit_code == 0, repr(r))

try:
    sbx.commands.run("exit 4")
    check("exit code raises", False)
except CommandExitException as e:
    check("exit code raises", e.exit_code == 4, repr(e))

h = sbx.commands.run("sleep 30", background=True)
check("list", any(p.pid == h.pid for p in sbx.commands.list()))
check("kill", sbx.commands.kill(h.pid))

h = sbx.commands.run("cat", background=True, stdin=True)
sbx.commands.send_stdin(h.pid, "from python\n")
sbx.commands.close_stdin(h.pid)
check("stdin", h.wait().stdout == "from python\n")

info = sbx.files.write("/home/user/py/a.txt", "python data")
check("files.write", info.path == "/home/user/py/a.txt", repr(info))
check("files.read", sbx.files.read("/home/user/py/a.txt") == "python data")
sbx.files.write_files([{"path": "/home/user/py/b.txt", "data": b"bytes"}])
check("files.read bytes", bytes(sbx.files.read("/home/user/py/b.txt", format="bytes")) == b"bytes")
names = sorted(e.name for e in sbx.files.list("/home/user/py"))
check("files.list", names == ["a.txt", "b.txt"], repr(names))
check("files.exists", sbx.files.exists("/home/user/py/a.txt") and not sbx.files.exists("/nope"))
check("files.make_dir", sbx.files.make_dir("/home/user/py/d") and not sbx.files.make_dir("/home/user/py/d"))
moved = sbx.files.rename("/home/user/py/a.txt", "/home/user/py/d/a.txt")
check("files.rename", moved.path == "/home/user/py/d/a.txt", repr(moved))
sbx.files.remove("/home/user/py/d")
check("files.remove", not sbx.files.exists("/home/user/py/d"))
try:
    sbx.files.read("/home/user/py/missing")
    check("not found", False)
except NotFoundException:
    check("not found", True)

# The sync SDK watches with CreateWatcher / GetWatcherEvents polling.
watcher = sbx.files.watch_dir("/home/user/py")
sbx.files.write("/home/user/py/watched.txt", "w")
events = []
for _ in range(40):
    events += watcher.get_new_events()
    if any(e.name == "watched.txt" for e in events):
        break
    time.sleep(0.05)
watcher.stop()
check("watch_dir (polling)", any(e.name == "watched.txt" for e in events), repr(events))

terminal_out = bytearray()
pty = sbx.pty.create(PtySize(rows=24, cols=80))
sbx.pty.send_stdin(pty.pid, b"echo pty-$((1+1)); exit\n")
try:
    pty.wait(on_pty=lambda data: terminal_out.extend(data))
except CommandExitException:
    pass
check("pty", b"pty-2" in terminal_out, repr(bytes(terminal_out)))


async def async_checks():
    a = await AsyncSandbox.create(debug=True)
    r = await a.commands.run("echo async")
    check("async commands.run", r.stdout == "async\n")
    got = []
    handle = await a.files.watch_dir("/home/user/py", on_event=lambda e: got.append(e))
    await a.files.write("/home/user/py/async.txt", "x")
    for _ in range(40):
        if any(e.name == "async.txt" for e in got):
            break
        await asyncio.sleep(0.05)
    await handle.stop()
    check("async watch_dir (stream)", any(e.name == "async.txt" for e in got), repr(got))


asyncio.run(async_checks())

ci = CodeInterpreter.create(debug=True)
ex = ci.run_code("y = 20\nprint('hello')\ny + 1")
check("run_code", ex.text == "21" and ex.logs.stdout == ["hello\n"], repr(ex))
check("run_code state", ci.run_code("y * 2").text == "40")
err = ci.run_code("raise KeyError('k')")
check("run_code error", err.error is not None and err.error.name == "KeyError", repr(err.error))
ctx = ci.create_code_context(language="javascript")
check("js context", ci.run_code("40 + 2", context=ctx).text == "42")
check("list contexts", any(c.id == ctx.id for c in ci.list_code_contexts()))
ci.remove_code_context(ctx)

print("ALL OK", flush=True)
