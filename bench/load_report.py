"""The Markdown tables bench/load.py prints from its figures."""

from __future__ import annotations

# --- The report ----------------------------------------------------------------------------------


def _ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def report(figures: dict) -> list[str]:
    data, load = figures["sizes_in_database"], figures["load"]
    seed = figures["seed_seconds"]
    gunicorn = load["gunicorn"]
    lines = [
        f"### Load: {data['teachers']:,} teachers, {data['schools']} "
        f"school{'s' if data['schools'] != 1 else ''}, "
        f"{data['cycles']:,} cycles, {data['observations']:,} observations "
        f"(seed {'reused' if seed is None else f'{seed:.0f} s'})",
        "",
        f"{load['duration_s']} s, all roles at once; gunicorn {gunicorn['workers']} workers "
        f"({gunicorn['kind']}); {load['cpus']} CPUs shared with PostgreSQL, Redis and wrk "
        f"(1-minute load average {load['load_average_before']} before gunicorn started).",
        "",
        "| role | users | connections | requests | req/s | p50 ms | p95 ms | p99 ms | max ms "
        "| errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for role, r in figures["roles"].items():
        ms = r["ms"]
        lines.append(
            f"| {role} | {r['users']} | {r['connections']} | {r['requests']:,} | {r['rps']} | "
            f"{_ms(ms['p50'])} | {_ms(ms['p95'])} | {_ms(ms['p99'])} | {_ms(ms['max'])} | "
            f"{r['errors']} |"
        )
    o = figures["overall"]
    lines.append(
        f"| **all** | {sum(r['users'] for r in figures['roles'].values())} | "
        f"{sum(r['connections'] for r in figures['roles'].values())} | {o['requests']:,} | "
        f"{o['rps']} | {_ms(o['ms']['p50'])} | {_ms(o['ms']['p95'])} | {_ms(o['ms']['p99'])} | "
        f"{_ms(o['ms']['max'])} | {o['errors']} |"
    )
    lines += [
        "",
        "| request | role | sent | answered | as expected | other (statuses) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for role, r in figures["roles"].items():
        for kind, k in r["kinds"].items():
            other = ", ".join(f"{s}: {n}" for s, n in sorted(k["statuses"].items()))
            lines.append(
                f"| {kind} | {role} | {k['sent']:,} | {k['ok'] + k['bad']:,} | {k['ok']:,} | "
                f"{k['bad']}{f' ({other})' if other else ''} |"
            )
    if figures["server_ms"]:
        lines += [
            "",
            "Time in gunicorn per request (its access log; the latencies above add the wait "
            "for a free worker):",
            "",
            "| request | role | count | p50 ms | p95 ms | p99 ms |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in figures["server_ms"]:
            lines.append(
                f"| {row['kind']} | {row['role']} | {row['count']:,} | {row['p50']} | "
                f"{row['p95']} | {row['p99']} |"
            )
    lines += [
        "",
        "| write | answered as saved | found in the database | lost | saved, answer not seen |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind, w in figures["writes"].items():
        if not w["checked"]:
            lines.append(f"| {kind} | {w['answered_saved']:,} | not checked | - | - |")
            continue
        lines.append(
            f"| {kind} | {w['answered_saved']:,} | {w['answered_saved'] - w['missing']:,} | "
            f"{w['missing']} | {w['saved_unanswered']} |"
        )
    return lines
