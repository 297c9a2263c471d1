"""The frequencies and the cross-tab of the results bench, computed by DuckDB from the CSV the
collector exported, for comparison. Prints Markdown table rows (wall and CPU seconds, the
median of 3 runs of each query). Run by server/benches/results.rs; needs `pip install duckdb`.
"""

import sys
import time

try:
    import duckdb
except ImportError:
    sys.exit("DuckDB is not installed: pip install duckdb")

RUNS = 3


def timed(run):
    """Wall and CPU seconds of run(), the median of RUNS runs by wall time, and its result."""
    runs = []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu, result))
    runs.sort(key=lambda r: r[0])
    return runs[RUNS // 2]


csv = sys.argv[1]
con = duckdb.connect()
wall, cpu = time.perf_counter(), time.process_time()
con.execute(f"CREATE TABLE r AS SELECT * FROM read_csv('{csv}', header = true, all_varchar = true)")
load = (time.perf_counter() - wall, time.process_time() - cpu)

columns = [c[0] for c in con.execute("DESCRIBE r").fetchall()]


def frequencies():
    rows = 0
    for q in [f"s{i}" for i in range(10)] + [f"l{i}" for i in range(5)]:
        rows += len(con.execute(f'SELECT "{q}", count(*) FROM r GROUP BY 1').fetchall())
    for q in [f"m{i}" for i in range(5)]:
        sums = ", ".join(f'sum(CAST("{c}" AS INTEGER))' for c in columns if c.startswith(q + "/"))
        rows += len(con.execute(f"SELECT count(\"{q}\"), {sums} FROM r").fetchall())
    for q in [f"n{i}" for i in range(5)]:
        rows += len(
            con.execute(
                f'SELECT avg(CAST("{q}" AS DOUBLE)), quantile_cont(CAST("{q}" AS DOUBLE), [0.25, 0.5, 0.75]) FROM r'
            ).fetchall()
        )
    for q in [f"t{i}" for i in range(5)]:
        rows += len(con.execute(f'SELECT count("{q}") FROM r').fetchall())
    return rows


freq = timed(frequencies)
cross = timed(lambda: con.execute("SELECT s0, l0, count(*) FROM r GROUP BY 1, 2").fetchall())

print(f"| DuckDB {duckdb.__version__}: load the CSV into a table | {load[0]:.2f} | {load[1]:.2f} |")
print(f"| DuckDB: the same 30 questions' frequencies and statistics (from its table) | {freq[0]:.2f} | {freq[1]:.2f} |")
print(f"| DuckDB: the cross-tab s0 × l0 ({len(cross[2])} cells) | {cross[0]:.3f} | {cross[1]:.3f} |")
