"""The one place that builds markup: everything but its own <mark> tags comes out escaped."""

from markupsafe import Markup

from app.search.highlight import highlight, snippet


def test_everything_but_the_marks_is_escaped():
    text = '<mark>"x"</mark> & <script>alert(1)</script>'
    result = highlight(text, [(20, 26)])
    assert isinstance(result, Markup)
    assert str(result) == (
        "&lt;mark&gt;&#34;x&#34;&lt;/mark&gt; &amp; &lt;<mark>script</mark>&gt;alert(1)&lt;/script&gt;"
    )


def test_spans_at_the_edges_and_overlapping_ones():
    assert str(highlight("数字孪生", [(0, 4)])) == "<mark>数字孪生</mark>"
    assert str(highlight("数字孪生模型", [(0, 4), (2, 6)])) == "<mark>数字孪生</mark>模型"
    assert str(highlight("", [])) == ""


def test_snippet_cuts_around_the_match_and_flattens_whitespace():
    text = "甲" * 200 + "\n关键\t词" + "乙" * 200
    result = str(snippet(text, [(201, 203)], width=40))
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>关键</mark>\u0020词" in result and "\n" not in result
    assert str(snippet("短文本<b>", [])) == "短文本&lt;b&gt;"
