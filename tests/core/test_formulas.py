from __future__ import annotations

import csv
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.formulas import (
    MAX_DEPTH,
    BinaryOp,
    Formula,
    FormulaError,
    Negate,
    Node,
    Number,
    Reference,
    check_formulas,
    evaluate_all,
    evaluation_order,
    parse_formula,
)


def _spec_dir() -> Path:
    corpus = os.environ.get("BAOCAO_CORPUS")
    shared = Path(corpus).parent if corpus else Path(__file__).resolve().parents[2].parent / "shared"
    return shared / "spec"


def _indicator_rows() -> list[dict[str, str]]:
    path = _spec_dir() / "indicators.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- parsing --------------------------------------------------------------------------------------


def test_parse_simple() -> None:
    formula = parse_formula("100 * cntt.qlvb.vb_ky_so / cntt.qlvb.vb_di")
    assert formula.root == BinaryOp(
        "/",
        BinaryOp("*", Number(Decimal(100)), Reference("cntt.qlvb.vb_ky_so")),
        Reference("cntt.qlvb.vb_di"),
    )
    assert formula.codes == frozenset({"cntt.qlvb.vb_ky_so", "cntt.qlvb.vb_di"})
    assert str(formula) == "100 * cntt.qlvb.vb_ky_so / cntt.qlvb.vb_di"
    assert formula.source == "100 * cntt.qlvb.vb_ky_so / cntt.qlvb.vb_di"


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("a+b", "a + b"),
        ("  a  +  b  ", "a + b"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("(a + b) * c", "(a + b) * c"),
        ("a * (b + c)", "a * (b + c)"),
        ("a / (b * c)", "a / (b * c)"),
        ("a * (b / c)", "a * (b / c)"),
        ("((a))", "a"),
        ("-a", "-a"),
        ("-(a + b)", "-(a + b)"),
        ("--a", "-(-a)"),
        ("+a", "a"),
        ("-a * b", "-a * b"),
        ("2 * -a", "2 * -a"),
        ("a - -b", "a - -b"),
        ("1.50 + x_1", "1.50 + x_1"),
        ("dan_so", "dan_so"),
        ("_x", "_x"),
        ("bc.doanh_thu + vt.doanh_thu", "bc.doanh_thu + vt.doanh_thu"),
        ("100*vt.tb_co_dinh/dan_so", "100 * vt.tb_co_dinh / dan_so"),
        ("0.5", "0.5"),
        ("a1.b2.c3", "a1.b2.c3"),
    ],
)
def test_normalised_text(text: str, normalised: str) -> None:
    formula = parse_formula(text)
    assert str(formula) == normalised
    assert parse_formula(normalised) == formula


def test_precedence_and_associativity() -> None:
    assert parse_formula("a - b - c").root == BinaryOp(
        "-", BinaryOp("-", Reference("a"), Reference("b")), Reference("c")
    )
    assert parse_formula("a + b * c").root == BinaryOp(
        "+", Reference("a"), BinaryOp("*", Reference("b"), Reference("c"))
    )
    assert parse_formula("-a * b").root == BinaryOp("*", Negate(Reference("a")), Reference("b"))


@pytest.mark.parametrize(
    ("text", "position", "token"),
    [
        ("", 0, ""),
        ("   ", 0, ""),
        ("a +", 3, ""),
        ("(a", 2, ""),
        ("a b", 2, "b"),
        ("a)", 1, ")"),
        ("()", 1, ")"),
        ("a * / b", 4, "/"),
        ("1.2.3", 0, "1.2.3"),
        ("a..b", 0, "a..b"),
        ("cntt.qlvb.", 0, "cntt.qlvb."),
        (".a", 0, ".a"),
        ("dân_số", 0, "dân_số"),
        ("a + dân", 4, "dân"),
        ("100dan_so", 0, "100dan_so"),
        ("a ^ 2", 2, "^"),
        ("a % b", 2, "%"),
        ("__import__('os')", 11, "'os'"),
        ("a = 1", 2, "="),
        ("1,5", 0, "1,5"),
    ],
)
def test_syntax_errors(text: str, position: int, token: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    assert info.value.position == position
    assert info.value.token == token
    assert repr(text) in str(info.value)
    assert f"position {position}" in str(info.value) or text.strip() == ""


def test_non_text_rejected() -> None:
    with pytest.raises(FormulaError):
        parse_formula(None)  # type: ignore[arg-type]


def test_deep_nesting_is_a_formula_error() -> None:
    with pytest.raises(FormulaError, match="nested"):
        parse_formula("(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5))
    with pytest.raises(FormulaError, match="nested"):
        parse_formula("-" * 10_000 + "a")
    assert str(parse_formula("(" * 50 + "a" + ")" * 50)) == "a"


def test_formula_equality_ignores_source() -> None:
    assert parse_formula("a+b") == parse_formula("(a) + (b)")
    assert hash(parse_formula("a+b")) == hash(parse_formula("a + b"))


# -- evaluation -----------------------------------------------------------------------------------


def test_evaluate_rate() -> None:
    formula = parse_formula("100 * cntt.qlvb.vb_ky_so / cntt.qlvb.vb_di")
    # The 2022 report: 175.293 of 217.199 documents signed, "tỷ lệ 80,71%".
    value = formula.evaluate({"cntt.qlvb.vb_ky_so": Decimal(175293), "cntt.qlvb.vb_di": Decimal(217199)})
    assert value is not None
    assert value.quantize(Decimal("0.01")) == Decimal("80.71")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", Decimal(7)),
        ("(1 + 2) * 3", Decimal(9)),
        ("10 - 4 - 3", Decimal(3)),
        ("12 / 4 / 3", Decimal(1)),
        ("-2 * -3", Decimal(6)),
        ("a - -b", Decimal(5)),
        ("0.1 + 0.2", Decimal("0.3")),
        ("a / 4", Decimal("0.5")),
    ],
)
def test_evaluate(text: str, expected: Decimal) -> None:
    assert parse_formula(text).evaluate({"a": Decimal(2), "b": Decimal(3)}) == expected


def test_evaluate_missing_and_division_by_zero() -> None:
    formula = parse_formula("100 * a / b")
    assert formula.evaluate({"a": Decimal(1)}) is None
    assert formula.evaluate({"a": Decimal(1), "b": Decimal(0)}) is None
    assert formula.evaluate({"a": Decimal(0), "b": Decimal(0)}) is None
    assert parse_formula("1 / 0").evaluate({}) is None
    assert parse_formula("a / (b - b)").evaluate({"a": Decimal(1), "b": Decimal(5)}) is None
    assert formula.evaluate({"a": Decimal("NaN"), "b": Decimal(1)}) is None
    assert formula.evaluate({"a": None, "b": Decimal(1)}) is None  # type: ignore[dict-item]


def test_evaluate_overflow_is_none() -> None:
    assert parse_formula("a * a").evaluate({"a": Decimal("1E+999999")}) is None


def test_evaluate_accepts_ints() -> None:
    assert parse_formula("a + 1").evaluate({"a": 2}) == Decimal(3)  # type: ignore[dict-item]


# -- the catalog's own formulas -------------------------------------------------------------------


def test_catalog_formulas_parse_and_check() -> None:
    rows = _indicator_rows()
    if not rows:
        pytest.skip("indicators.csv not available")
    formulas = {row["code"]: row["formula"] for row in rows if row["formula"].strip()}
    assert len(formulas) >= 10
    known = {row["code"] for row in rows}
    for code, text in formulas.items():
        formula = parse_formula(text)
        assert formula.codes, code
        assert formula.codes <= known, (code, formula.codes - known)
        assert parse_formula(str(formula)) == formula
        values = {ref: Decimal(7) for ref in formula.codes}
        assert formula.evaluate(values) is not None, code
    assert check_formulas(formulas, known) == []
    order = evaluation_order(formulas)
    assert sorted(order) == sorted(formulas)


def test_catalog_rates_match_reports() -> None:
    rows = _indicator_rows()
    if not rows:
        pytest.skip("indicators.csv not available")
    formulas = {row["code"]: row["formula"] for row in rows if row["formula"].strip()}
    # Figures of the 2017 and 2022 reports, with the rates the reports print.
    values = {
        "cntt.qlvb.vb_ky_so": Decimal(175293),
        "cntt.qlvb.vb_di": Decimal(217199),
        "cntt.hoso.muc3.truc_tuyen": Decimal(13421),
        "cntt.hoso.muc3.tiep_nhan": Decimal(96827),
        "cntt.dvc.muc3": Decimal(551),
        "cntt.dvc.muc4": Decimal(1077),
        "cntt.dvc.tong": Decimal(1858),
    }
    results = evaluate_all(formulas, values)

    def rate(code: str) -> Decimal:
        value = results[code]
        assert value is not None, code
        return value.quantize(Decimal("0.01"))

    assert rate("cntt.qlvb.ty_le_ky_so") == Decimal("80.71")
    assert rate("cntt.hoso.muc3.ty_le_truc_tuyen") == Decimal("13.86")
    assert rate("cntt.dvc.ty_le_muc3") == Decimal("29.66")  # the report truncates to 29,65
    assert rate("cntt.dvc.ty_le_muc4") == Decimal("57.97")  # the report truncates to 57,96
    assert results["cntt.dvc.muc34"] == Decimal(1628)
    assert results["vt.mat_do_di_dong"] is None


# -- sets of formulas -----------------------------------------------------------------------------


def test_check_formulas_reports_everything() -> None:
    formulas = {
        "a": "b + 1",
        "b": "c * 2",
        "c": "a",
        "d": "x +",
        "e": "zz + a",
        "f": "f",
        "g": "x / 2",
    }
    errors = check_formulas(formulas, {"x"})
    assert any(e.startswith("d: syntax error") and "position 3" in e for e in errors)
    assert "e: formula 'zz + a' refers to unknown code 'zz'" in errors
    assert "cycle: a → b → c → a" in errors
    assert "cycle: f → f" in errors
    assert len(errors) == 4


def test_check_formulas_cycle_named_once() -> None:
    errors = check_formulas({"b": "a", "a": "b"}, set())
    assert errors == ["cycle: a → b → a"]


def test_check_formulas_two_cycles_sharing_a_node() -> None:
    errors = check_formulas({"a": "b + c", "b": "a", "c": "a"}, set())
    assert errors == ["cycle: a → b → a", "cycle: a → c → a"]


def test_check_formulas_clean() -> None:
    assert check_formulas({"t": "a + b", "r": "100 * a / t"}, {"a", "b"}) == []


def test_evaluation_order() -> None:
    formulas = {"t": "a + b", "a": "x", "b": "a * 2", "z": "1"}
    order = evaluation_order(formulas)
    assert order.index("a") < order.index("b") < order.index("t")
    assert order == ["a", "b", "t", "z"]


def test_evaluation_order_rejects_cycle_and_syntax() -> None:
    with pytest.raises(FormulaError, match="a → b → a"):
        evaluation_order({"a": "b", "b": "a", "c": "1"})
    with pytest.raises(FormulaError, match="syntax"):
        evaluation_order({"a": "(("})


def test_evaluate_all_chains() -> None:
    results = evaluate_all({"t": "a + b", "r": "100 * a / t"}, {"a": Decimal(1), "b": Decimal(3)})
    assert results == {"t": Decimal(4), "r": Decimal(25)}


def test_evaluate_all_uses_stored_value_when_formula_fails() -> None:
    results = evaluate_all({"t": "a + b", "r": "100 * a / t"}, {"a": Decimal(1), "t": Decimal(2)})
    assert results == {"t": None, "r": Decimal(50)}


# -- properties -----------------------------------------------------------------------------------

codes = st.from_regex(r"[a-z_][a-z0-9_]{0,5}(\.[a-z0-9_]{1,4}){0,2}", fullmatch=True)
numbers = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


def _trees() -> st.SearchStrategy[Node]:
    leaves: st.SearchStrategy[Node] = st.one_of(numbers.map(Number), codes.map(Reference))

    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        return st.one_of(
            children.map(Negate),
            st.builds(BinaryOp, st.sampled_from("+-*/"), children, children),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@given(_trees())
def test_render_parse_round_trip(tree: Node) -> None:
    formula = Formula(tree)
    assert parse_formula(str(formula)) == formula


@given(_trees(), st.dictionaries(codes, st.integers(-50, 50).map(Decimal)))
def test_evaluate_never_raises(tree: Node, values: dict[str, Decimal]) -> None:
    result = Formula(tree).evaluate(values)
    assert result is None or isinstance(result, Decimal)


@given(st.text(max_size=60))
def test_parser_only_raises_formula_error(text: str) -> None:
    try:
        parse_formula(text)
    except FormulaError:
        return


@given(st.text(alphabet="ab1.()+-*/ _", max_size=40))
def test_parser_only_raises_formula_error_on_formula_like_text(text: str) -> None:
    try:
        formula = parse_formula(text)
    except FormulaError as exc:
        assert 0 <= exc.position <= len(text)
        return
    assert parse_formula(str(formula)) == formula


@given(st.dictionaries(st.sampled_from("abcdefg"), st.lists(st.sampled_from("abcdefgxy"), max_size=3)))
def test_check_and_order_agree(graph: dict[str, list[str]]) -> None:
    formulas = {code: " + ".join(refs) if refs else "1" for code, refs in graph.items()}
    errors = check_formulas(formulas, {"x", "y"})
    has_cycle = any(e.startswith("cycle:") for e in errors)
    if has_cycle:
        with pytest.raises(FormulaError):
            evaluation_order(formulas)
    else:
        order = evaluation_order(formulas)
        position = {code: i for i, code in enumerate(order)}
        for code, refs in graph.items():
            for ref in refs:
                if ref in formulas:
                    assert position[ref] < position[code]
