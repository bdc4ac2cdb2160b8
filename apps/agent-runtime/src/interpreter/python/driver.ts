/**
 * The Python kernel driver, run as `python3 -c DRIVER`. It keeps one globals dict for the context, executes each
 * cell with the last expression evaluated separately (its value is the main result, IPython-style rich reprs
 * included), sends matplotlib figures as PNG results, and reports exceptions with name, value and traceback.
 */
export const PYTHON_DRIVER = String.raw`
import ast, base64, io, json, os, sys, traceback, types

os.set_inheritable(3, False)
os.set_inheritable(4, False)
_events = os.fdopen(3, "w", buffering=1, encoding="utf-8")
_commands = os.fdopen(4, "r", encoding="utf-8")


def _emit(obj):
    _events.write(json.dumps(obj) + "\n")
    _events.flush()


class _Stream(io.TextIOBase):
    """sys.stdout/err replacement: complete lines go out as events, the rest at flush or cell end."""

    def __init__(self, name):
        self._name = name
        self._buf = ""

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not " + type(s).__name__)
        self._buf += s
        if "\n" in self._buf:
            head, _, self._buf = self._buf.rpartition("\n")
            _emit({"type": self._name, "text": head + "\n"})
        elif len(self._buf) > 8192:
            self.flush()
        return len(s)

    def flush(self):
        if self._buf:
            _emit({"type": self._name, "text": self._buf})
            self._buf = ""


sys.stdout = _Stream("stdout")
sys.stderr = _Stream("stderr")
sys.stdin = io.StringIO("")

_MIME = [
    ("_repr_html_", "html"),
    ("_repr_markdown_", "markdown"),
    ("_repr_svg_", "svg"),
    ("_repr_png_", "png"),
    ("_repr_jpeg_", "jpeg"),
    ("_repr_pdf_", "pdf"),
    ("_repr_latex_", "latex"),
    ("_repr_json_", "json"),
    ("_repr_javascript_", "javascript"),
]


def _format(value):
    data = {"text": repr(value)}
    if isinstance(value, type):
        return data
    for method, key in _MIME:
        fn = getattr(value, method, None)
        if not callable(fn):
            continue
        try:
            out = fn()
        except Exception:
            continue
        if isinstance(out, tuple):
            out = out[0]
        if out is None:
            continue
        if isinstance(out, (bytes, bytearray)):
            out = base64.b64encode(bytes(out)).decode("ascii")
        data[key] = out
    if "png" not in data and type(value).__name__ == "Figure" and hasattr(value, "savefig"):
        buf = io.BytesIO()
        value.savefig(buf, format="png", bbox_inches="tight")
        data["png"] = base64.b64encode(buf.getvalue()).decode("ascii")
    return data


def _result(value, main):
    try:
        data = _format(value)
    except Exception as e:
        data = {"text": "<unrepresentable %s: %s>" % (type(value).__name__, e)}
    data["type"] = "result"
    data["is_main_result"] = main
    _emit(data)


def display(*objs, **_kwargs):
    for obj in objs:
        _result(obj, False)


def _flush_figures():
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return
    for num in plt.get_fignums():
        fig = plt.figure(num)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
        _emit({"type": "result", "is_main_result": False, "text": repr(fig),
               "png": base64.b64encode(buf.getvalue()).decode("ascii")})
    plt.close("all")


_globals = {"__name__": "__main__", "__builtins__": __builtins__, "display": display}
_FLAGS = getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0)


def _run_code(code, filename):
    result = eval(compile(code, filename, "exec" if isinstance(code, ast.Module) else "eval", flags=_FLAGS), _globals)
    if isinstance(result, types.CoroutineType):
        import asyncio
        result = asyncio.get_event_loop().run_until_complete(result)
    return result


def _execute(code):
    tree = ast.parse(code, "<cell>", "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    _run_code(tree, "<cell>")
    if last is not None:
        value = _run_code(last, "<cell>")
        if value is not None:
            _globals["_"] = value
            _result(value, True)


def _error(e):
    tb = e.__traceback__
    # Drop the driver's own frames: the user wants to see their cell.
    while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
        tb = tb.tb_next
    text = "".join(traceback.format_exception(type(e), e, tb))
    _emit({"type": "error", "name": type(e).__name__, "value": str(e), "traceback": text})


def _main():
    while True:
        try:
            line = _commands.readline()
        except KeyboardInterrupt:
            continue
        if not line:
            return
        try:
            req = json.loads(line)
            env = req.get("env") or {}
            saved = {k: os.environ.get(k) for k in env}
            os.environ.update(env)
            try:
                _execute(req["code"])
                _flush_figures()
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
        except BaseException as e:
            _error(e)
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except KeyboardInterrupt:
                pass
            _emit({"type": "done"})


_emit({"type": "ready"})
_main()
`;
