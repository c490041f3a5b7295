"""The explanation of why no complete roster exists (``solver.explain``) as Norwegian text: one
definition for the terminal, summary.txt, the workbook's Mangler sheet and the web pages."""

from __future__ import annotations

from roster.models import Explanation

FIXES_SHOWN = 6  # fixes listed per clash; the rest are counted


def explanation_text(ex: Explanation) -> str:
    """The explanation of why no complete roster exists (solver.explain) as Norwegian text."""
    if ex.status == "mulig":
        return "En fullstendig vaktplan er mulig: ingen krav står mot hverandre."
    if ex.status == "ukjent":
        return "Fant ingen forklaring innen tidsgrensen (verken en plan eller et bevis på at det er umulig)."
    n = len(ex.clashes)
    lines = [f"Ingen fullstendig vaktplan er mulig. Fant {n} konflikt{'er' if n != 1 else ''} mellom krav:"]
    for i, c in enumerate(ex.clashes, start=1):
        lines.append(f"\n{i}. {c.summary}")
        if not c.minimal:
            lines.append("   (tidsgrensen stoppet forenklingen: konflikten kan ha med et krav for mye)")
        if c.fixes:
            lines.append("   Dette løser konflikten (kontrollert av løseren), hver for seg:")
            lines += [f"   - {f}" for f in c.fixes[:FIXES_SHOWN]]
            if len(c.fixes) > FIXES_SHOWN:
                lines.append(f"   - … og {len(c.fixes) - FIXES_SHOWN} andre endringer")
        else:
            lines.append("   Ingen av kravene kan lempes her (lov eller forskrift).")
    if ex.verified:
        lines.append("\nMed den første endringen under hver konflikt finnes en fullstendig vaktplan (kontrollert "
                     "ved å løse på nytt med alle endringene).")
    elif ex.verified is False:
        lines.append("\nDe første endringene under hver konflikt er ikke nok sammen; gjør dem og kjør "
                     "forklaringen igjen.")
    if not ex.complete:
        lines.append("\nSøket stoppet før alle konflikter var funnet (tidsgrense eller største antall); "
                     "gjør endringene over og kjør forklaringen igjen.")
    return "\n".join(lines)
