"""Explained recommendations: solutions for a need, needs for a provider, solutions for a scenario.

Each recommendation carries a score and the reasons behind it ("同属装备制造 · 覆盖预测性维护 ·
3个签约案例"), from the text the search index shares, the taxonomy the items share and the
provider's record on the portal (`app.matching.records`).
"""
