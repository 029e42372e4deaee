"""Every audit action written anywhere in app/ and every field it keeps has a label in
admin/labels.py (tests/test_i18n.py checks their English); the record types labelled are models, and
tests/audit_watch.py fails a test that writes an audit row whose record type has no label."""

import ast
import importlib
from pathlib import Path

from app.admin.labels import ACTION_LABELS, FIELD_LABELS, TARGET_LABELS
from app.admin.moderation import KINDS
from app.extensions import Model
from tests.conftest import ROOT

APP_DIR = ROOT / "app"


def _audit_calls() -> list[tuple[Path, ast.Module, ast.Call]]:
    found = []
    for path in sorted(APP_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "audit":
                found.append((path, tree, node))
    return found


def _enclosing_function(tree: ast.Module, node: ast.AST) -> ast.FunctionDef:
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef) and any(inner is node for inner in ast.walk(function)):
            return function
    raise AssertionError("an audit call outside a function")


def _literal_arguments(tree: ast.Module, function: ast.FunctionDef, parameter: str) -> set[str]:
    """The literal strings the module passes to `function` for `parameter`."""
    position = [arg.arg for arg in function.args.args].index(parameter)
    values = set()
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == function.name:
            argument = call.args[position]
            assert isinstance(argument, ast.Constant), f"{function.name}() is called with a computed {parameter}"
            values.add(argument.value)
    return values


def _codes(tree: ast.Module, call: ast.Call, expression: ast.expr) -> set[str]:
    """Every action code an expression can produce: a literal, either branch of a condition, or an
    f-string whose part is a parameter given as literals, or a moderation kind's slug."""
    if isinstance(expression, ast.Constant):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return _codes(tree, call, expression.body) | _codes(tree, call, expression.orelse)
    assert isinstance(expression, ast.JoinedStr), ast.unparse(expression)
    codes = {""}
    for part in expression.values:
        if isinstance(part, ast.Constant):
            options = {part.value}
        elif ast.unparse(part.value) == "kind.slug":
            options = {kind.slug for kind in KINDS.values()}
        else:
            assert isinstance(part.value, ast.Name), f"cannot tell the codes of {ast.unparse(expression)}"
            options = _literal_arguments(tree, _enclosing_function(tree, call), part.value.id)
        codes = {code + option for code in codes for option in options}
    return codes


def _action_codes() -> set[str]:
    return {code for _path, tree, call in _audit_calls() for code in _codes(tree, call, call.args[1])}


def _field_names() -> set[str]:
    """The literal keys of the before and after dicts audit calls write."""
    names = set()
    for _path, _tree, call in _audit_calls():
        for argument in [*call.args[3:], *(keyword.value for keyword in call.keywords)]:
            for node in ast.walk(argument):
                if isinstance(node, ast.Dict):
                    names |= {key.value for key in node.keys if isinstance(key, ast.Constant)}
    return names


def test_the_codes_are_found():
    codes = _action_codes()
    assert {"user.role", "pilot_call.notice", "needs.approve", "registration.reject", "taxonomy.activate"} <= codes
    assert len(codes) > 60


def test_every_action_written_has_a_label_and_every_label_an_action():
    codes = _action_codes()
    assert sorted(codes - ACTION_LABELS.keys()) == []
    assert sorted(ACTION_LABELS.keys() - codes) == []


def test_every_labelled_target_type_is_a_model():
    for path in APP_DIR.glob("*/models.py"):
        importlib.import_module(f"app.{path.parent.name}.models")
    models = {mapper.class_.__name__ for mapper in Model.registry.mappers}
    assert sorted(TARGET_LABELS.keys() - models) == []


def test_every_field_written_has_a_label():
    assert sorted(_field_names() - FIELD_LABELS.keys()) == []
