//! Small-cell suppression: counts published from small groups are hidden when they are below a
//! threshold, and so are the counts that would give a hidden one away by subtraction.
//!
//! A table is rows × columns of counts with its row totals, column totals and grand total.
//! Each row (with its total) and each column (with its total) is a *line*: its cells add up to
//! its total, so a line with one hidden cell would let anyone recover it. Suppression is
//!
//! - **primary**: every count `n` with `0 < n < k` is hidden, totals included (a zero says no
//!   one, and is shown);
//! - **complementary**: a line with exactly one hidden cell gets its smallest non-zero shown cell
//!   hidden too (an inner cell before the total when they are equal), again and again until no
//!   line has exactly one hidden cell.
//!
//! Tables that break the same rows down in different ways (themes by site, themes by group type)
//! share their row totals and grand total; [`suppress_linked`] hides those alike in every table,
//! so that one table cannot reveal through a total what another hides.
//!
//! This is the line-by-line rule: it stops recovery from a row or a column and its total. It is
//! not a full audit against every combination of lines, which small published tables of counts
//! do not need.

/// One published count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Shown(u64),
    Suppressed,
}

impl Cell {
    /// The count, when it is shown.
    pub fn shown(self) -> Option<u64> {
        match self {
            Self::Shown(n) => Some(n),
            Self::Suppressed => None,
        }
    }

    pub fn is_suppressed(self) -> bool {
        self == Self::Suppressed
    }
}

/// A table of counts after suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressedTable {
    /// Rows × columns, as given.
    pub cells: Vec<Vec<Cell>>,
    /// The sum of each row.
    pub row_totals: Vec<Cell>,
    /// The sum of each column.
    pub column_totals: Vec<Cell>,
    /// The sum of everything.
    pub total: Cell,
}

/// Suppresses one table of counts (rows × columns) with threshold `k`.
///
/// Rows shorter than the longest are read as if padded with zeros.
pub fn suppress(counts: &[Vec<u64>], k: u64) -> SuppressedTable {
    suppress_linked(&[counts], k)
        .pop()
        .expect("one table in, one out")
}

/// Suppresses tables over the same rows with threshold `k`, one result per table in order.
///
/// The tables are meant to break the same totals down (each row adds up to the same number in
/// every table). Their row totals and grand totals are hidden alike in all tables, and the
/// complementary suppression this calls for runs across all of them. When a table has fewer
/// rows than another, its missing rows are read as zeros.
pub fn suppress_linked(tables: &[&[Vec<u64>]], k: u64) -> Vec<SuppressedTable> {
    let rows = tables.iter().map(|t| t.len()).max().unwrap_or(0);
    let mut grid = Grid::default();
    let mut layouts = Vec::with_capacity(tables.len());
    // Each table's row totals and grand total, to be tied across tables.
    let mut tied_rows: Vec<Vec<usize>> = vec![Vec::new(); rows];
    let mut tied_grand = Vec::new();
    for table in tables {
        let columns = table.iter().map(Vec::len).max().unwrap_or(0);
        let value = |r: usize, c: usize| table.get(r).and_then(|row| row.get(c)).copied();
        let cells: Vec<Vec<usize>> = (0..rows)
            .map(|r| {
                (0..columns)
                    .map(|c| grid.cell(value(r, c).unwrap_or(0)))
                    .collect()
            })
            .collect();
        let row_totals: Vec<usize> = (0..rows)
            .map(|r| grid.cell(sum((0..columns).map(|c| value(r, c).unwrap_or(0)))))
            .collect();
        let column_totals: Vec<usize> = (0..columns)
            .map(|c| grid.cell(sum((0..rows).map(|r| value(r, c).unwrap_or(0)))))
            .collect();
        let total = grid.cell(sum(row_totals.iter().map(|&i| grid.values[i])));
        for r in 0..rows {
            grid.lines.push(Line {
                inner: cells[r].clone(),
                total: row_totals[r],
            });
            tied_rows[r].push(row_totals[r]);
        }
        for c in 0..columns {
            grid.lines.push(Line {
                inner: cells.iter().map(|row| row[c]).collect(),
                total: column_totals[c],
            });
        }
        grid.lines.push(Line {
            inner: row_totals.clone(),
            total,
        });
        grid.lines.push(Line {
            inner: column_totals.clone(),
            total,
        });
        tied_grand.push(total);
        layouts.push((cells, row_totals, column_totals, total));
    }
    grid.ties = tied_rows;
    grid.ties.push(tied_grand);
    let hidden = grid.solve(k);
    let cell = |i: usize| {
        if hidden[i] {
            Cell::Suppressed
        } else {
            Cell::Shown(grid.values[i])
        }
    };
    layouts
        .into_iter()
        .map(
            |(cells, row_totals, column_totals, total)| SuppressedTable {
                cells: cells
                    .iter()
                    .map(|row| row.iter().map(|&i| cell(i)).collect())
                    .collect(),
                row_totals: row_totals.into_iter().map(cell).collect(),
                column_totals: column_totals.into_iter().map(cell).collect(),
                total: cell(total),
            },
        )
        .collect()
}

fn sum(values: impl Iterator<Item = u64>) -> u64 {
    values.fold(0, u64::saturating_add)
}

/// Cells in one flat list; lines say which cells add up to which; ties say which cells hold the
/// same number in different tables.
#[derive(Debug, Default)]
struct Grid {
    values: Vec<u64>,
    lines: Vec<Line>,
    ties: Vec<Vec<usize>>,
}

#[derive(Debug)]
struct Line {
    inner: Vec<usize>,
    total: usize,
}

impl Grid {
    fn cell(&mut self, value: u64) -> usize {
        self.values.push(value);
        self.values.len() - 1
    }

    /// Which cells are hidden.
    fn solve(&self, k: u64) -> Vec<bool> {
        let mut hidden: Vec<bool> = self.values.iter().map(|&v| v > 0 && v < k).collect();
        loop {
            let mut changed = false;
            for tie in &self.ties {
                if tie.iter().any(|&i| hidden[i]) {
                    for &i in tie {
                        changed |= !hidden[i];
                        hidden[i] = true;
                    }
                }
            }
            for line in &self.lines {
                let members = || line.inner.iter().chain([&line.total]).copied();
                if members().filter(|&i| hidden[i]).count() != 1 {
                    continue;
                }
                // The total comes last, so an inner cell wins a tie on the value.
                let smallest = members()
                    .filter(|&i| !hidden[i] && self.values[i] > 0)
                    .min_by_key(|&i| (self.values[i], i == line.total));
                if let Some(i) = smallest {
                    hidden[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return hidden;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Cell::{Shown as S, Suppressed as X};

    #[test]
    fn counts_at_or_above_the_threshold_and_zeros_are_shown() {
        let t = suppress(&[vec![5, 0], vec![7, 9]], 5);
        assert_eq!(t.cells, [[S(5), S(0)], [S(7), S(9)]]);
        assert_eq!(t.row_totals, [S(5), S(16)]);
        assert_eq!(t.column_totals, [S(12), S(9)]);
        assert_eq!(t.total, S(21));
    }

    #[test]
    fn a_small_cell_takes_the_smallest_other_cell_of_its_row_and_column_with_it() {
        // 3 is hidden; in its row the smallest other is 6, in its column 8. Then the row
        // and column of 6 and of 8 have one hidden cell each, which the 10 completes.
        let t = suppress(&[vec![3, 6, 20], vec![8, 10, 30], vec![9, 40, 50]], 5);
        assert_eq!(
            t.cells,
            [[X, X, S(20)], [X, X, S(30)], [S(9), S(40), S(50)]]
        );
        assert_eq!(t.row_totals, [S(29), S(48), S(99)]);
        assert_eq!(t.column_totals, [S(20), S(56), S(100)]);
        assert_eq!(t.total, S(176));
    }

    #[test]
    fn a_lone_cell_hides_its_total() {
        // The 2 hides the 9 beside it, which hides the 30 below it; the 30 is alone in its
        // row, so the row's total would give it away and is hidden, though above the threshold.
        let t = suppress(&[vec![2, 9], vec![0, 30]], 5);
        assert_eq!(t.cells, [[X, X], [S(0), X]]);
        assert_eq!(t.row_totals[1], X);
        assert_safe(&t, 5);
    }

    #[test]
    fn small_totals_are_hidden() {
        let t = suppress(&[vec![1, 1], vec![1, 1]], 5);
        assert!(t.cells.iter().flatten().all(|c| c.is_suppressed()));
        assert!(t.row_totals.iter().all(|c| c.is_suppressed()));
        assert!(t.column_totals.iter().all(|c| c.is_suppressed()));
        assert_eq!(t.total, X);
    }

    #[test]
    fn empty_and_ragged_tables() {
        let t = suppress(&[], 5);
        assert!(t.cells.is_empty() && t.row_totals.is_empty() && t.column_totals.is_empty());
        assert_eq!(t.total, S(0));
        let t = suppress(&[vec![10], vec![10, 6]], 5);
        assert_eq!(t.cells, [[S(10), S(0)], [S(10), S(6)]]);
        assert_eq!(t.row_totals, [S(10), S(16)]);
    }

    #[test]
    fn a_threshold_of_one_hides_nothing() {
        let t = suppress(&[vec![1, 2], vec![0, 3]], 1);
        assert_eq!(t.cells, [[S(1), S(2)], [S(0), S(3)]]);
    }

    #[test]
    fn linked_tables_hide_their_shared_totals_alike() {
        // Alone, the table by site hides nothing. By group, the 2 ends up hiding the row
        // totals, which the table by site must then hide too, and a cell of each such row.
        let by_site = vec![vec![7, 0], vec![5, 6]];
        let by_group = vec![vec![7, 0], vec![2, 9]];
        let alone = suppress(&by_site, 5);
        assert!(alone.cells.iter().flatten().all(|c| !c.is_suppressed()));
        let [site, group]: [SuppressedTable; 2] = suppress_linked(&[&by_site, &by_group], 5)
            .try_into()
            .unwrap();
        assert_eq!(site.row_totals, [X, X]);
        assert_eq!(group.row_totals, [X, X]);
        assert_eq!(site.total, group.total);
        assert_eq!(site.cells[0][0], X);
        for t in [&site, &group] {
            assert_safe(t, 5);
        }
    }

    /// A small random number generator (xorshift), so the brute-force tests need no crate.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }

        /// Counts like real ones: many zeros and small numbers, some large.
        fn count(&mut self) -> u64 {
            match self.below(4) {
                0 => 0,
                1 => self.below(6),
                2 => self.below(12),
                _ => self.below(40),
            }
        }

        fn table(&mut self, rows: usize) -> Vec<Vec<u64>> {
            let columns = 1 + self.below(5) as usize;
            (0..rows)
                .map(|_| (0..columns).map(|_| self.count()).collect())
                .collect()
        }
    }

    /// Every line of the table, as (cells, total).
    fn lines(t: &SuppressedTable) -> Vec<(Vec<Cell>, Cell)> {
        let mut lines: Vec<(Vec<Cell>, Cell)> =
            t.cells.iter().cloned().zip(t.row_totals.clone()).collect();
        for (c, &total) in t.column_totals.iter().enumerate() {
            lines.push((t.cells.iter().map(|row| row[c]).collect(), total));
        }
        lines.push((t.row_totals.clone(), t.total));
        lines.push((t.column_totals.clone(), t.total));
        lines
    }

    /// No line has exactly one hidden cell, so no hidden count is its total minus the others.
    fn assert_safe(t: &SuppressedTable, k: u64) {
        for (cells, total) in lines(t) {
            let hidden = cells.iter().chain([&total]).filter(|c| c.is_suppressed());
            assert_ne!(
                hidden.count(),
                1,
                "a line gives a count away: {t:?} (k = {k})"
            );
        }
    }

    /// What is shown is true; what is below the threshold (and not zero) is not shown.
    fn assert_faithful(counts: &[Vec<u64>], t: &SuppressedTable, k: u64) {
        let row_totals: Vec<u64> = counts.iter().map(|r| r.iter().sum()).collect();
        let columns = counts.first().map_or(0, Vec::len);
        let column_totals: Vec<u64> = (0..columns)
            .map(|c| counts.iter().map(|r| r[c]).sum())
            .collect();
        let total: u64 = row_totals.iter().sum();
        let pairs = counts
            .iter()
            .flatten()
            .zip(t.cells.iter().flatten())
            .chain(row_totals.iter().zip(&t.row_totals))
            .chain(column_totals.iter().zip(&t.column_totals))
            .chain([(&total, &t.total)]);
        for (&n, &cell) in pairs {
            match cell {
                Cell::Shown(shown) => {
                    assert_eq!(shown, n, "{counts:?} → {t:?}");
                    assert!(n == 0 || n >= k, "{n} is shown with k = {k}: {t:?}");
                }
                Cell::Suppressed => assert_ne!(n, 0, "a zero is hidden: {t:?}"),
            }
        }
    }

    #[test]
    fn no_hidden_count_can_be_recovered_from_its_row_or_column_random_tables() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut complementary = 0;
        for _ in 0..5_000 {
            let k = 2 + rng.below(6);
            let rows = 1 + rng.below(5) as usize;
            let counts = rng.table(rows);
            let t = suppress(&counts, k);
            assert_faithful(&counts, &t, k);
            assert_safe(&t, k);
            let big_hidden = counts
                .iter()
                .flatten()
                .zip(t.cells.iter().flatten())
                .any(|(&n, c)| n >= k && c.is_suppressed());
            complementary += usize::from(big_hidden);
        }
        // The tables are varied enough to need complementary suppression often.
        assert!(complementary > 500, "{complementary}");
    }

    #[test]
    fn no_hidden_count_can_be_recovered_from_linked_random_tables() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..3_000 {
            let k = 5;
            let rows = 1 + rng.below(5) as usize;
            let first = rng.table(rows);
            // The second table breaks each row of the first down in another way.
            let columns = 1 + rng.below(4) as usize;
            let second: Vec<Vec<u64>> = first
                .iter()
                .map(|row| {
                    let mut split = vec![0; columns];
                    for _ in 0..row.iter().sum::<u64>() {
                        split[rng.below(columns as u64) as usize] += 1;
                    }
                    split
                })
                .collect();
            let out = suppress_linked(&[&first, &second], k);
            assert_eq!(out[0].row_totals, out[1].row_totals);
            assert_eq!(out[0].total, out[1].total);
            assert_faithful(&first, &out[0], k);
            assert_faithful(&second, &out[1], k);
            assert_safe(&out[0], k);
            assert_safe(&out[1], k);
        }
    }
}
