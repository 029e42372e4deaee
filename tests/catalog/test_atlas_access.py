"""The atlas's charts are drawn on a canvas hidden from screen readers: each links to its text
alternative on the page, a table of the same counts as the service gives the heat map, and the
category list of the treemap."""

from lxml import html as lxml_html

from app.catalog.atlas import atlas_counts


def test_each_atlas_chart_links_to_a_table_or_list_of_its_counts(client, make_scenario):
    make_scenario(industry="EQP", domains=("IM", "DM"), category="C04", subcategory="C04-2")
    make_scenario(industry="EQP", domains=("IM",), category="C04", subcategory="C04-1")
    make_scenario(industry="RAW", domains=("5G",), category="C01", subcategory="C01-2")
    document = lxml_html.fromstring(client.get("/atlas").get_data(as_text=True))
    charts = document.xpath("//div[contains(@class, 'atlas-chart')]")
    assert {chart.get("id") for chart in charts} == {"atlas-heatmap", "atlas-treemap"}
    alternatives = {}
    for chart in charts:
        assert chart.get("aria-hidden") == "true"
        section = chart.xpath("./ancestor::section[1]")[0]
        (link,) = section.xpath(".//a[starts-with(@href, '#')]")
        (target,) = document.xpath(f"//*[@id='{link.get('href')[1:]}']")
        alternatives[chart.get("id")] = target

    atlas = atlas_counts()
    matrix = atlas.scenarios
    table = alternatives["atlas-heatmap"].xpath(".//table[not(ancestor::*[@hidden])]")[0]
    assert table.xpath("./caption")[0].text_content().strip()
    assert all(th.get("scope") == "col" for th in table.xpath("./thead//th"))
    rows = table.xpath("./tbody/tr")
    assert len(rows) == len(atlas.industries)
    for industry, row in zip(atlas.industries, rows, strict=True):
        assert row.xpath("./th")[0].get("scope") == "row"
        cells = [cell.text_content().strip() for cell in row.xpath("./td")]
        assert cells == [str(matrix.cell(industry, domain)) for domain in atlas.domains] + [
            str(matrix.row_total(industry))
        ]

    listed = alternatives["atlas-treemap"].text_content()
    for node in atlas.categories:
        for leaf in node.subcategories:
            assert leaf.subcategory.name in listed
