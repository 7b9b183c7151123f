//! Driver analysis: how much each category matters for the outcome questions
//! (職場への満足, 働き続けたい), by Johnson's relative weights with bootstrap
//! intervals.
//!
//! A respondent's outcome score is the mean of their outcome answers on the
//! 0–100 scale (reversed where an outcome is reverse-worded), for respondents
//! who answered every outcome question and have every category score; only
//! they enter the analysis ("complete" respondents).
//!
//! Johnson's relative weights (Johnson 2000) share R² among correlated
//! categories. With R the correlation matrix of the categories (X) and the
//! outcome (y): Rxx = V diag(λ) Vᵀ; Λ = V diag(√λ) Vᵀ (the correlations of X
//! with its closest orthogonal counterpart Z); β = Λ⁻¹ rxy (the regression of
//! y on Z); the raw weight of category j is εⱼ = Σₖ Λⱼₖ² βₖ². The raw weights
//! add up to R² of the regression of y on X; a share is εⱼ / R² × 100.
//!
//! Intervals are percentile bootstrap intervals (2.5 % and 97.5 %, linear
//! interpolation between order statistics as numpy's default) over
//! resamples of the group's complete respondents, drawn with replacement. The
//! draws come from PCG XSL RR 128/64 seeded by the year and the group's code
//! (see [`seed`]); row `⌊u · n / 2⁶⁴⌋` is taken for each 64-bit output `u`,
//! and each respondent enters the resample's sums as often as picked. A
//! resample whose correlation matrix is singular (a constant variable) is
//! skipped. So reruns give the same bytes, and a test redraws the same
//! resamples with numpy.

use nalgebra::allocator::Allocator;
use nalgebra::{Const, DMatrix, DefaultAllocator, Dim, DimDiff, DimSub, Dyn, OMatrix, OVector, SymmetricEigen, U1};
use rand_pcg::Lcg128Xsl64;
use rand_pcg::rand_core::Rng;

/// Resamples per group (DESIGN §10).
pub const REPLICATES: usize = 1000;
/// Fewest resamples, for a group that alone holds more than
/// [`LARGE_GROUP`] complete respondents (its intervals are then narrow).
pub const MIN_REPLICATES: usize = 200;
/// Complete respondents above which a group gets fewer resamples.
pub const LARGE_GROUP: usize = 10_000;
/// Fewest complete respondents for a group's drivers (DESIGN: 30).
pub const MIN_RESPONDENTS: u64 = 30;
/// Eigenvalues of the categories' correlation matrix at or below this count as
/// zero: the categories are then linearly dependent and weights undefined.
const SINGULAR: f64 = 1e-10;

/// The resamples a group gets, from its own complete respondents only:
/// [`REPLICATES`] up to [`LARGE_GROUP`], then as many as keep the draws at
/// `REPLICATES × LARGE_GROUP`, but at least [`MIN_REPLICATES`].
pub fn replicates(respondents: usize) -> usize {
    if respondents <= LARGE_GROUP {
        return REPLICATES;
    }
    (REPLICATES * LARGE_GROUP / respondents).max(MIN_REPLICATES)
}

/// Relative weights of one sample: per category the raw weight, and R².
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// εⱼ per category; they add up to `r2`.
    pub raw: Vec<f64>,
    /// R² of the outcome on all categories.
    pub r2: f64,
}

impl Weights {
    /// Category `j`'s raw weight as a percentage of R².
    pub fn share(&self, j: usize) -> f64 {
        self.raw[j] / self.r2 * 100.0
    }

    /// Each raw weight as a percentage of R².
    pub fn shares(&self) -> Vec<f64> {
        (0..self.raw.len()).map(|j| self.share(j)).collect()
    }
}

/// A group's drivers: the estimate, the correlations and the bootstrap intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Drivers {
    /// Complete respondents.
    pub n: u64,
    /// The estimate.
    pub weights: Weights,
    /// Correlation of each category with the outcome.
    pub correlations: Vec<f64>,
    /// 95 % interval of each raw weight.
    pub raw_intervals: Vec<(f64, f64)>,
    /// 95 % interval of each share (%).
    pub share_intervals: Vec<(f64, f64)>,
    /// 95 % interval of R².
    pub r2_interval: (f64, f64),
    /// For each pair of categories next to each other in the order of the
    /// estimated shares (largest first), the 95 % interval of the difference
    /// of their shares over the same resamples: ((higher, lower), interval).
    pub rank_differences: Vec<((usize, usize), (f64, f64))>,
    /// Resamples drawn.
    pub replicates: usize,
    /// Resamples that gave weights (the rest had a constant variable).
    pub used: usize,
}

/// Rows of `dim` variables each, row-major: the categories, then the outcome.
pub struct Sample<'a> {
    /// The values.
    pub data: &'a [f64],
    /// Variables per row.
    pub dim: usize,
}

impl Sample<'_> {
    fn row(&self, r: usize) -> &[f64] {
        &self.data[r * self.dim..(r + 1) * self.dim]
    }
}

/// The values of a row, then its cross products xᵢxⱼ for i ≤ j, row by row of
/// the upper triangle: what a row adds to [`Sums`], and a column of the
/// matrix products in [`resampled_sums`].
fn terms(x: &[f64]) -> impl Iterator<Item = f64> + '_ {
    x.iter().copied().chain((0..x.len()).flat_map(move |i| x[i..].iter().map(move |&xj| x[i] * xj)))
}

/// How many [`terms`] a row of `dim` variables has.
fn term_count(dim: usize) -> usize {
    dim + dim * (dim + 1) / 2
}

/// Σ of the [`terms`] of some rows (Σx, then Σxᵢxⱼ), and how many rows.
struct Sums {
    n: f64,
    dim: usize,
    totals: Vec<f64>,
}

impl Sums {
    fn new(dim: usize) -> Sums {
        Sums { n: 0.0, dim, totals: vec![0.0; term_count(dim)] }
    }

    fn add(&mut self, x: &[f64]) {
        self.n += 1.0;
        for (total, term) in self.totals.iter_mut().zip(terms(x)) {
            *total += term;
        }
    }

    /// Σxᵢxⱼ for i ≤ j.
    fn cross(&self, i: usize, j: usize) -> f64 {
        // Rows 0..i of the upper triangle hold i·dim − i(i−1)/2 products.
        self.totals[self.dim + i * self.dim - i * i.saturating_sub(1) / 2 + (j - i)]
    }

    /// The correlation matrix; `None` when a variable is constant or n < 3.
    fn correlation(&self) -> Option<DMatrix<f64>> {
        let dim = self.dim;
        if self.n < 3.0 {
            return None;
        }
        let cov = |i: usize, j: usize| {
            let (i, j) = (i.min(j), i.max(j));
            (self.cross(i, j) - self.totals[i] * self.totals[j] / self.n) / (self.n - 1.0)
        };
        let sd: Vec<f64> = (0..dim).map(|i| cov(i, i).max(0.0).sqrt()).collect();
        if sd.iter().any(|&s| s.is_nan() || s <= 0.0 || !s.is_finite()) {
            return None;
        }
        Some(DMatrix::from_fn(dim, dim, |i, j| if i == j { 1.0 } else { cov(i, j) / (sd[i] * sd[j]) }))
    }
}

/// Respondents whose values and cross products are laid out at once for a
/// matrix product (about 1.8 MB for nine variables).
const CHUNK_ROWS: usize = 4096;
/// Most resamples counted in one block.
const BLOCK_REPLICATES: usize = 64;
/// Most count cells (respondents × resamples) in one block: 32 MB.
const BLOCK_CELLS: usize = 1 << 22;

/// The sums of the first `width` resamples in `picks` (how often each of
/// `rows` was picked; a column per resample): per resample Σ count × x and
/// Σ count × xᵢxⱼ, as products of the rows' values and cross products (a
/// column per respondent) with the counts, a chunk of rows at a time.
fn resampled_sums(sample: &Sample<'_>, rows: &[usize], picks: &DMatrix<f64>, width: usize) -> Vec<Sums> {
    let dim = sample.dim;
    let count = term_count(dim);
    let mut totals = DMatrix::<f64>::zeros(count, width);
    let mut products = DMatrix::<f64>::zeros(count, CHUNK_ROWS.min(rows.len()));
    for (c, chunk) in rows.chunks(CHUNK_ROWS).enumerate() {
        for (column, &r) in products.as_mut_slice().chunks_exact_mut(count).zip(chunk) {
            for (cell, term) in column.iter_mut().zip(terms(sample.row(r))) {
                *cell = term;
            }
        }
        let counts = picks.view((c * CHUNK_ROWS, 0), (chunk.len(), width));
        totals.gemm(1.0, &products.columns(0, chunk.len()), &counts, 1.0);
    }
    let n = rows.len() as f64;
    totals.column_iter().map(|t| Sums { n, dim, totals: t.iter().copied().collect() }).collect()
}

/// Eigenvectors (as columns) and their eigenvalues.
type Eigen<D> = (OMatrix<f64, D, D>, OVector<f64, D>);

/// The eigenvectors (columns) and eigenvalues of a positive definite matrix,
/// `None` when an eigenvalue is not clearly positive (linearly dependent
/// categories).
///
/// nalgebra's `SymmetricEigen` can return eigenvectors that do not go with
/// their eigenvalues for some matrices (nalgebra issue #1109; a bootstrap
/// resample of the sample data met it), so the decomposition is checked —
/// M v = λ v for every column v, and V orthonormal — and the singular value
/// decomposition (the same for a positive definite matrix) is used when the
/// check fails.
fn eigen<D>(m: &OMatrix<f64, D, D>) -> Option<Eigen<D>>
where
    D: DimSub<U1>,
    DefaultAllocator: Allocator<D, D> + Allocator<D> + Allocator<DimDiff<D, U1>>,
{
    let eigen = SymmetricEigen::new(m.clone());
    let (v, values) = if decomposes(m, &eigen.eigenvectors, &eigen.eigenvalues) {
        (eigen.eigenvectors, eigen.eigenvalues)
    } else {
        let (rows, columns) = m.shape_generic();
        let dynamic = DMatrix::from_fn(m.nrows(), m.ncols(), |i, j| m[(i, j)]);
        let svd = dynamic.clone().svd(true, false);
        let u = svd.u?;
        if !decomposes::<Dyn>(&dynamic, &u, &svd.singular_values) {
            return None;
        }
        let v = OMatrix::<f64, D, D>::from_fn_generic(rows, columns, |i, j| u[(i, j)]);
        let values = OVector::<f64, D>::from_fn_generic(rows, U1, |i, _| svd.singular_values[i]);
        (v, values)
    };
    if values.iter().any(|&l| l.is_nan() || l <= SINGULAR) {
        return None;
    }
    Some((v, values))
}

/// Whether `v` and `values` are an eigendecomposition of `m`: M v = λ v for
/// every column, and V orthonormal.
fn decomposes<D>(m: &OMatrix<f64, D, D>, v: &OMatrix<f64, D, D>, values: &OVector<f64, D>) -> bool
where
    D: Dim,
    DefaultAllocator: Allocator<D, D> + Allocator<D>,
{
    let scaled = scale_columns(v, values.iter().copied());
    let (rows, columns) = v.shape_generic();
    let identity = OMatrix::<f64, D, D>::identity_generic(rows, columns);
    (m * v - scaled).amax() <= 1e-9 && (v.transpose() * v - identity).amax() <= 1e-9
}

/// V diag(f) without building the diagonal matrix: each column of `v` times
/// its factor.
fn scale_columns<D>(v: &OMatrix<f64, D, D>, factors: impl Iterator<Item = f64>) -> OMatrix<f64, D, D>
where
    D: Dim,
    DefaultAllocator: Allocator<D, D>,
{
    let mut scaled = v.clone();
    for (mut column, factor) in scaled.column_iter_mut().zip(factors) {
        column *= factor;
    }
    scaled
}

/// Johnson's relative weights from a correlation matrix whose last variable
/// is the outcome; `None` when the categories are linearly dependent.
/// Eight categories (the default questionnaire) are computed with matrices of
/// fixed size, any other number with sized-at-run-time ones; both give the
/// same weights.
pub fn relative_weights(r: &DMatrix<f64>) -> Option<Weights> {
    match r.nrows().checked_sub(1).filter(|&p| p > 0)? {
        8 => weights_in(r, Const::<8>),
        p => weights_in(r, Dyn(p)),
    }
}

/// [`relative_weights`] with `p` categories as dimension `D`: with
/// Rxx = V diag(λ) Vᵀ, Λ = V diag(√λ) Vᵀ and β = V diag(1/√λ) Vᵀ rxy.
fn weights_in<D>(r: &DMatrix<f64>, p: D) -> Option<Weights>
where
    D: DimSub<U1>,
    DefaultAllocator: Allocator<D, D> + Allocator<D> + Allocator<DimDiff<D, U1>>,
{
    let last = p.value();
    let rxx = OMatrix::<f64, D, D>::from_fn_generic(p, p, |i, j| r[(i, j)]);
    let rxy = OVector::<f64, D>::from_fn_generic(p, U1, |i, _| r[(i, last)]);
    let (v, values) = eigen(&rxx)?;
    let roots = values.map(f64::sqrt);
    let lambda = scale_columns(&v, roots.iter().copied()) * v.transpose();
    let beta = &v * (v.tr_mul(&rxy).component_div(&roots));
    let raw: Vec<f64> = (0..last).map(|j| (0..last).map(|k| lambda[(j, k)].powi(2) * beta[k].powi(2)).sum()).collect();
    let r2 = raw.iter().sum();
    (r2 > 0.0).then_some(Weights { raw, r2 })
}

/// The generator of a group's resamples: PCG XSL RR 128/64 (`Lcg128Xsl64::new`)
/// with state = the year and stream = the FNV-1a 64-bit hash of the group's
/// name as UTF-8: its code (`ALL` for the organisation), or for a cut
/// `code|demographic|value` (see `importance::seed_name`).
pub fn seed(year: i32, group: &str) -> Lcg128Xsl64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in group.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    Lcg128Xsl64::new(year as u128, u128::from(hash))
}

/// The value at fraction `q` of sorted values, interpolating linearly between
/// order statistics (numpy's default percentile).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

fn interval(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (percentile(&values, 0.025), percentile(&values, 0.975))
}

/// The drivers of one group: `rows` index its complete respondents in `sample`.
/// `None` when the weights are undefined (a constant variable, or categories
/// that are linearly dependent).
pub fn drivers(sample: &Sample<'_>, rows: &[usize], replicates: usize, mut rng: Lcg128Xsl64) -> Option<Drivers> {
    let dim = sample.dim;
    let mut sums = Sums::new(dim);
    for &r in rows {
        sums.add(sample.row(r));
    }
    let r = sums.correlation()?;
    let weights = relative_weights(&r)?;
    let correlations: Vec<f64> = (0..dim - 1).map(|j| r[(j, dim - 1)]).collect();
    let n = rows.len();
    let mut draws: Vec<Weights> = Vec::with_capacity(replicates);
    // The replicates are drawn in order, each as how often every respondent
    // was picked (a column of `picks`, a respondent per row), a block of them
    // at a time; a block's sums are then matrix products of the rows' values
    // and cross products with the counts (`resampled_sums`), which read each
    // row once per block instead of once per replicate.
    let block = (BLOCK_CELLS / n.max(1)).clamp(1, BLOCK_REPLICATES).min(replicates.max(1));
    let mut picks = DMatrix::<f64>::zeros(n, block);
    let mut done = 0;
    while done < replicates {
        let width = block.min(replicates - done);
        picks.fill(0.0);
        for counts in picks.as_mut_slice().chunks_exact_mut(n.max(1)).take(width) {
            for _ in 0..n {
                counts[((u128::from(rng.next_u64()) * n as u128) >> 64) as usize] += 1.0;
            }
        }
        for sums in resampled_sums(sample, rows, &picks, width) {
            if let Some(w) = sums.correlation().as_ref().and_then(relative_weights) {
                draws.push(w);
            }
        }
        done += width;
    }
    let p = dim - 1;
    let column = |f: &dyn Fn(&Weights) -> f64| interval(draws.iter().map(f).collect());
    let shares = weights.shares();
    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&a, &b| shares[b].total_cmp(&shares[a]).then(a.cmp(&b)));
    let rank_differences =
        order.windows(2).map(|w| ((w[0], w[1]), column(&|d| d.share(w[0]) - d.share(w[1])))).collect();
    Some(Drivers {
        n: n as u64,
        correlations,
        raw_intervals: (0..p).map(|j| column(&|w| w.raw[j])).collect(),
        share_intervals: (0..p).map(|j| column(&|w| w.share(j))).collect(),
        r2_interval: column(&|w| w.r2),
        rank_differences,
        replicates,
        used: draws.len(),
        weights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows from a fixed linear model with noise from the same generator.
    fn sample(n: usize, weights: &[f64]) -> Vec<f64> {
        let mut rng = seed(2025, "test");
        let mut uniform = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut data = Vec::new();
        for _ in 0..n {
            let common = uniform();
            let xs: Vec<f64> = weights.iter().map(|_| 0.5 * common + uniform()).collect();
            let y: f64 = xs.iter().zip(weights).map(|(x, w)| x * w).sum::<f64>() + 0.5 * uniform();
            data.extend(xs);
            data.push(y);
        }
        data
    }

    #[test]
    fn a_group_gets_its_resamples_from_its_own_size() {
        assert_eq!(replicates(30), 1000);
        assert_eq!(replicates(10_000), 1000);
        assert_eq!(replicates(10_001), 999);
        assert_eq!(replicates(20_000), 500);
        assert_eq!(replicates(1_000_000), 200);
    }

    #[test]
    fn rank_differences_follow_the_shares() {
        let data = sample(400, &[2.0, 0.2, 1.0]);
        let s = Sample { data: &data, dim: 4 };
        let rows: Vec<usize> = (0..400).collect();
        let d = drivers(&s, &rows, 300, seed(2025, "ALL")).unwrap();
        let pairs: Vec<(usize, usize)> = d.rank_differences.iter().map(|r| r.0).collect();
        assert_eq!(pairs, [(0, 2), (2, 1)]);
        // The strongest leads the next clearly: its interval excludes zero.
        assert!(d.rank_differences[0].1.0 > 0.0, "{:?}", d.rank_differences);
    }

    #[test]
    fn raw_weights_add_up_to_r_squared_of_the_regression() {
        let data = sample(500, &[1.0, 0.5, 0.0, 2.0]);
        let s = Sample { data: &data, dim: 5 };
        let mut sums = Sums::new(5);
        (0..500).for_each(|r| sums.add(s.row(r)));
        let r = sums.correlation().unwrap();
        let w = relative_weights(&r).unwrap();
        // R² = rxyᵀ Rxx⁻¹ rxy, computed another way.
        let rxx = r.view((0, 0), (4, 4)).into_owned();
        let rxy: nalgebra::DVector<f64> = r.view((0, 4), (4, 1)).column(0).into_owned();
        let r2 = (rxy.transpose() * rxx.try_inverse().unwrap() * &rxy)[(0, 0)];
        assert!((w.raw.iter().sum::<f64>() - r2).abs() < 1e-12 && (w.r2 - r2).abs() < 1e-12);
        // The strongest predictor weighs most, the one without effect least.
        assert!(w.raw[3] > w.raw[0] && w.raw[0] > w.raw[1] && w.raw[1] > w.raw[2]);
        assert!((w.shares().iter().sum::<f64>() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn uncorrelated_predictors_weigh_their_squared_correlations() {
        // With Rxx = I, εⱼ = rⱼ².
        let r = DMatrix::from_row_slice(3, 3, &[1.0, 0.0, 0.3, 0.0, 1.0, 0.4, 0.3, 0.4, 1.0]);
        let w = relative_weights(&r).unwrap();
        assert!((w.raw[0] - 0.09).abs() < 1e-12 && (w.raw[1] - 0.16).abs() < 1e-12);
    }

    #[test]
    fn dependent_or_constant_variables_give_no_weights() {
        let r = DMatrix::from_row_slice(3, 3, &[1.0, 1.0, 0.5, 1.0, 1.0, 0.5, 0.5, 0.5, 1.0]);
        assert_eq!(relative_weights(&r), None);
        let data = [1.0, 2.0, 3.0, 1.0, 5.0, 4.0, 1.0, 7.0, 2.0, 1.0, 1.0, 1.0];
        let mut sums = Sums::new(3);
        (0..4).for_each(|r| sums.add(&data[r * 3..r * 3 + 3]));
        assert!(sums.correlation().is_none(), "the first variable is constant");
    }

    #[test]
    fn resamples_with_a_constant_variable_are_skipped_and_counted() {
        // The first variable differs in one row of 30: a resample that misses
        // that row (about a third of them) has no weights.
        let mut data = sample(30, &[1.0, 0.2, 0.6]);
        for r in 1..30 {
            data[r * 4] = 0.5;
        }
        let s = Sample { data: &data, dim: 4 };
        let rows: Vec<usize> = (0..30).collect();
        let d = drivers(&s, &rows, 300, seed(2025, "0101")).unwrap();
        assert_eq!(d.replicates, 300);
        assert!((50..250).contains(&d.used), "{} of 300 resamples used", d.used);
    }

    #[test]
    fn the_bootstrap_is_reproducible_and_covers_the_estimate() {
        let data = sample(300, &[1.0, 0.2, 0.6]);
        let s = Sample { data: &data, dim: 4 };
        let rows: Vec<usize> = (0..300).collect();
        let a = drivers(&s, &rows, 200, seed(2025, "0101")).unwrap();
        let b = drivers(&s, &rows, 200, seed(2025, "0101")).unwrap();
        assert_eq!(a, b);
        let c = drivers(&s, &rows, 200, seed(2025, "0102")).unwrap();
        assert_ne!(a.raw_intervals, c.raw_intervals, "another group draws other resamples");
        assert_eq!(a.used, 200);
        for j in 0..3 {
            let (lo, hi) = a.raw_intervals[j];
            assert!(lo < a.weights.raw[j] && a.weights.raw[j] < hi, "{j}: {lo} {} {hi}", a.weights.raw[j]);
        }
    }

    #[test]
    fn the_generator_is_numpys_pcg64() {
        // numpy: PCG64 with state = ((2025 + inc) · M + inc) mod 2¹²⁸, inc =
        // 2 · fnv1a64("ALL") + 1 (what Lcg128Xsl64::new does), then random_raw(3).
        let mut rng = seed(2025, "ALL");
        let drawn: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(drawn, [5793549875026150010, 18165302596860864549, 18116311908807349671]);
    }

    #[test]
    fn weights_of_a_resample_match_numpy() {
        // A bootstrap resample of the sample data (R4, 0100, resample 363).
        let r = DMatrix::from_row_slice(
            9,
            9,
            &[
                1.0,
                0.5405249222016777,
                0.5403156066225567,
                0.688643514039052,
                0.61654598339748,
                0.5522757749271928,
                0.4920466088910666,
                0.5620362501739368,
                0.5623329045519048,
                0.5405249222016778,
                0.9999999999999998,
                0.5869692392968207,
                0.642820001719871,
                0.6302357758720323,
                0.5389052257981858,
                0.6257062525592666,
                0.6339874127990853,
                0.6008297158489764,
                0.5403156066225568,
                0.5869692392968205,
                1.0,
                0.5880460502725251,
                0.550696683014169,
                0.5663652550297306,
                0.44079178277877945,
                0.5310560020790234,
                0.5903308772245812,
                0.688643514039052,
                0.642820001719871,
                0.5880460502725251,
                0.9999999999999998,
                0.5875665468903756,
                0.5098033405370391,
                0.42754478229291926,
                0.6625369480327824,
                0.6492925634691968,
                0.61654598339748,
                0.6302357758720323,
                0.5506966830141691,
                0.5875665468903755,
                0.9999999999999998,
                0.5518025933641125,
                0.45010563337751297,
                0.5991478570511366,
                0.6199174277567843,
                0.5522757749271927,
                0.5389052257981858,
                0.5663652550297306,
                0.5098033405370391,
                0.5518025933641125,
                0.9999999999999998,
                0.44085117203546037,
                0.6116480975326236,
                0.48216935156079854,
                0.49204660889106655,
                0.6257062525592666,
                0.44079178277877945,
                0.42754478229291926,
                0.45010563337751297,
                0.4408511720354603,
                1.0,
                0.5539898825933289,
                0.5553957176072033,
                0.5620362501739368,
                0.6339874127990853,
                0.5310560020790234,
                0.6625369480327824,
                0.5991478570511366,
                0.6116480975326236,
                0.5539898825933288,
                1.0,
                0.5658552703032138,
                0.5623329045519049,
                0.6008297158489764,
                0.5903308772245813,
                0.6492925634691968,
                0.6199174277567843,
                0.48216935156079854,
                0.5553957176072033,
                0.5658552703032138,
                0.9999999999999998,
            ],
        );
        // numpy.linalg.eigh on the same matrix.
        let numpy = [
            0.05607174647821699,
            0.0639905282854602,
            0.0835297913837828,
            0.10828527663296514,
            0.0948127366670947,
            0.0354020664997822,
            0.08633651790833137,
            0.05327816868283983,
        ];
        // Matrices sized at run time and of fixed size give the same weights.
        for w in [weights_in(&r, Dyn(8)), weights_in(&r, Const::<8>), relative_weights(&r)] {
            let w = w.unwrap();
            for (ours, theirs) in w.raw.iter().zip(numpy) {
                assert!((ours - theirs).abs() < 1e-9, "{ours} vs {theirs}");
            }
        }
    }

    #[test]
    fn a_matrix_nalgebras_eigen_decomposition_gets_wrong() {
        // The categories' correlations in a bootstrap resample of the sample
        // data (all years): SymmetricEigen returns eigenvectors that do not go
        // with their eigenvalues (nalgebra issue #1109).
        let values = [
            1.0,
            0.4429652095621712,
            0.4710572669512797,
            0.45779563977261395,
            0.43486768910955126,
            0.5113459013119356,
            0.49690071446703493,
            0.48693826665847956,
            0.4429652095621712,
            1.0,
            0.3267678079126329,
            0.12780631526806766,
            0.39766212066968304,
            0.4098093667305129,
            0.26662630350672706,
            0.2883623843643477,
            0.4710572669512797,
            0.3267678079126329,
            1.0,
            0.1448930063449236,
            0.3430830282696297,
            0.4987581426734775,
            0.2780228685248745,
            0.2318759486793513,
            0.45779563977261395,
            0.12780631526806766,
            0.1448930063449236,
            1.0,
            0.4181681512360159,
            0.48765206766296265,
            0.21005374795599657,
            0.2100103235545345,
            0.43486768910955126,
            0.39766212066968304,
            0.3430830282696297,
            0.4181681512360159,
            1.0,
            0.6584714827931264,
            0.5825380521282365,
            0.5110633457851552,
            0.5113459013119356,
            0.4098093667305129,
            0.4987581426734775,
            0.48765206766296265,
            0.6584714827931264,
            1.0,
            0.44854884336989964,
            0.4504767104814952,
            0.49690071446703493,
            0.26662630350672706,
            0.2780228685248745,
            0.21005374795599657,
            0.5825380521282365,
            0.44854884336989964,
            1.0,
            0.7243919681515879,
            0.48693826665847956,
            0.2883623843643477,
            0.2318759486793513,
            0.2100103235545345,
            0.5110633457851552,
            0.4504767104814952,
            0.7243919681515879,
            1.0,
        ];
        // numpy.linalg.eigvalsh on the same matrix.
        let numpy = [
            0.23775126246067074,
            0.2586045575083078,
            0.3276630126606827,
            0.6084681271844724,
            0.6826056693700044,
            0.9488440701904561,
            1.0281259706905592,
            3.907937329934848,
        ];
        let fixed = nalgebra::SMatrix::<f64, 8, 8>::from_row_slice(&values);
        let wrong = SymmetricEigen::new(fixed);
        assert!(!decomposes(&fixed, &wrong.eigenvectors, &wrong.eigenvalues));
        let (v, found) = eigen(&fixed).unwrap();
        assert!(decomposes(&fixed, &v, &found));
        let dynamic = DMatrix::from_row_slice(8, 8, &values);
        let (v, dynamic_found) = eigen(&dynamic).unwrap();
        assert!(decomposes(&dynamic, &v, &dynamic_found));
        for found in [found.as_slice(), dynamic_found.as_slice()] {
            let mut sorted = found.to_vec();
            sorted.sort_by(f64::total_cmp);
            for (ours, theirs) in sorted.iter().zip(numpy) {
                assert!((ours - theirs).abs() < 1e-12, "{ours} vs {theirs}");
            }
        }
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert_eq!(percentile(&v, 1.0), 8.0);
        assert!((percentile(&v, 0.5) - 3.0).abs() < 1e-12);
        // numpy.percentile([1, 2, 4, 8], 2.5) = 1.075.
        assert!((percentile(&v, 0.025) - 1.075).abs() < 1e-12);
    }
}
