"""The comparison report (issue 4): two or more rosters of the same doctors, side by side.

``build.check_view`` measures and checks one roster; ``html.write_html``, ``xlsx.write_xlsx`` and
``text.text_summary`` present a list of them; ``rulesets`` turns rule-set files into scenarios for
``roster compare``; ``commands`` holds the two CLI commands. Import the submodules directly, so the
command line does not load matplotlib until a report is drawn.
"""
