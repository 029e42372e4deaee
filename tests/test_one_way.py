"""Each view does a step the same way: it parses, checks a named permission, and hands the step to
`core.steps.run_step`, the only place that commits, rolls back and flashes the outcome.

So no view module (one that declares routes, or helps them run steps) commits, rolls back, flashes,
writes the audit log or catches an error itself, and every `ensure(...)` asks a predicate that a
domain's `permissions.py` names. `core.forms.flash_errors` (a form's own messages) stays allowed.
"""

import ast
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parent.parent / "app"
VIEW_MODULES = sorted(
    path for path in APP_DIR.rglob("*.py") if path.name.endswith("views.py") or path.name == "view_steps.py"
)
FORBIDDEN_CALLS = {"commit", "rollback", "flash", "audit"}


def _module_id(path: Path) -> str:
    return str(path.relative_to(APP_DIR))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _permission_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names imported from a permissions module, and aliases of permissions modules themselves."""
    predicates: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        for alias in node.names:
            if node.module.endswith(".permissions"):
                predicates.add(alias.asname or alias.name)
            elif alias.name == "permissions":
                modules.add(alias.asname or alias.name)
    return predicates, modules


def test_the_view_modules_are_found():
    names = {_module_id(path) for path in VIEW_MODULES}
    assert {"events/admin_views.py", "needs/views.py", "listings/view_steps.py"} <= names
    assert len(names) >= 20


@pytest.mark.parametrize("path", VIEW_MODULES, ids=_module_id)
def test_views_leave_commit_flash_and_audit_to_the_step_runner(path):
    found = [
        f"line {node.lineno}: {_called_name(node)}()"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Call) and _called_name(node) in FORBIDDEN_CALLS
    ]
    assert not found, "use core.steps.run_step and audit in the service: " + ", ".join(found)


@pytest.mark.parametrize("path", VIEW_MODULES, ids=_module_id)
def test_views_catch_no_errors_themselves(path):
    found = [f"line {node.lineno}" for node in ast.walk(_tree(path)) if isinstance(node, ast.Try)]
    assert not found, "a refused step raises a DomainError that run_step handles: " + ", ".join(found)


@pytest.mark.parametrize("path", VIEW_MODULES, ids=_module_id)
def test_every_ensure_asks_a_named_predicate(path):
    tree = _tree(path)
    predicates, modules = _permission_names(tree)
    inline = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called_name(node) == "ensure"):
            continue
        (argument,) = node.args
        named = isinstance(argument, ast.Call) and (
            (isinstance(argument.func, ast.Name) and argument.func.id in predicates)
            or (
                isinstance(argument.func, ast.Attribute)
                and isinstance(argument.func.value, ast.Name)
                and argument.func.value.id in modules
            )
        )
        if not named:
            inline.append(f"line {node.lineno}: ensure({ast.unparse(argument)})")
    assert not inline, "name the rule in the domain's permissions.py: " + ", ".join(inline)


def test_the_checks_can_fail():
    """The three checks above recognise what they forbid."""
    source = ast.parse(
        "from app.needs.permissions import can_post_need\n"
        "def view():\n"
        "    try:\n"
        "        db.session.commit()\n"
        "    except E:\n"
        "        flash('x')\n"
        "    ensure(can_post_need(user))\n"
        "    ensure(user.is_admin)\n"
    )
    calls = [_called_name(node) for node in ast.walk(source) if isinstance(node, ast.Call)]
    assert {"commit", "flash"} <= set(calls)
    assert any(isinstance(node, ast.Try) for node in ast.walk(source))
    assert _permission_names(source) == ({"can_post_need"}, set())
