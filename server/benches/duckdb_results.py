"""The frequencies and the cross-tab of the results bench, computed by DuckDB from the CSV the
collector exported, for comparison. Prints Markdown table rows. Run by server/benches/results.rs.
"""

import sys
import time

import duckdb

csv = sys.argv[1]
con = duckdb.connect()
start = time.perf_counter()
con.execute(f"CREATE TABLE r AS SELECT * FROM read_csv('{csv}', header = true, all_varchar = true)")
load = time.perf_counter() - start

columns = [c[0] for c in con.execute("DESCRIBE r").fetchall()]
start = time.perf_counter()
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
frequencies = time.perf_counter() - start

start = time.perf_counter()
cross = con.execute('SELECT s0, l0, count(*) FROM r GROUP BY 1, 2').fetchall()
crosstab = time.perf_counter() - start

print(f"| DuckDB {duckdb.__version__}: load the CSV into a table | {load:.1f} |")
print(f"| DuckDB: the same 30 questions' frequencies and statistics (from its table) | {frequencies:.2f} |")
print(f"| DuckDB: the cross-tab s0 × l0 ({len(cross)} cells) | {crosstab:.3f} |")
