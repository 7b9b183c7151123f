//! Statistics on group summaries: mean and standard deviation from sums,
//! the two-sided Welch t-test, and Cronbach's α from variances.
//!
//! Groups are summarised by (n, Σx, Σx²), which add up across departments,
//! so a 部 or a merged department is the sum of its parts.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Significance level of the year-over-year test.
pub const ALPHA_LEVEL: f64 = 0.05;

/// Count, sum and sum of squares of respondents' scores.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    /// Respondents with a score.
    pub n: u64,
    /// Sum of their scores.
    pub sum: f64,
    /// Sum of squared scores.
    pub sum_sq: f64,
}

impl Moments {
    /// Returns the mean, or `None` without scores.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }

    /// Returns the sample variance (n − 1), or `None` below two scores.
    pub fn variance(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        let mean = self.sum / n;
        // Clamp the rounding error of Σx² − n·mean² for groups whose scores are all equal.
        Some(((self.sum_sq - n * mean * mean) / (n - 1.0)).max(0.0))
    }

    /// Returns the sample standard deviation.
    pub fn sd(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }
}

/// Returns the two-sided p-value of Welch's t-test, or `None` when either side
/// has fewer than two scores or both have no variance.
pub fn welch_p(a: &Moments, b: &Moments) -> Option<f64> {
    let (ma, mb) = (a.mean()?, b.mean()?);
    let (va, vb) = (a.variance()?, b.variance()?);
    let (na, nb) = (a.n as f64, b.n as f64);
    let (sa, sb) = (va / na, vb / nb);
    let se2 = sa + sb;
    if se2 <= 0.0 || !se2.is_finite() {
        return None;
    }
    let t = (ma - mb) / se2.sqrt();
    let df = se2 * se2 / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let p = 2.0 * dist.sf(t.abs());
    p.is_finite().then_some(p.min(1.0))
}

/// Returns Cronbach's α from the items' variances and the variance of their sum.
pub fn cronbach_alpha(item_variances: &[f64], total_variance: f64) -> Option<f64> {
    let k = item_variances.len() as f64;
    if k < 2.0 || total_variance <= 0.0 || !total_variance.is_finite() {
        return None;
    }
    let sum: f64 = item_variances.iter().sum();
    Some(k / (k - 1.0) * (1.0 - sum / total_variance))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(xs: &[f64]) -> Moments {
        Moments { n: xs.len() as u64, sum: xs.iter().sum(), sum_sq: xs.iter().map(|x| x * x).sum() }
    }

    #[test]
    fn welch_matches_a_known_answer() {
        // Expected values from scipy.stats.ttest_ind(a, b, equal_var=False).pvalue.
        let a = moments(&[50.0, 60.0, 70.0]);
        let b = moments(&[60.0, 70.0, 80.0]);
        let p = welch_p(&a, &b).unwrap();
        assert!((p - 0.287_864_134_726_690_53).abs() < 1e-9, "{p}");
        let a = moments(&[75.0, 80.0, 85.0, 90.0, 70.0, 95.0, 88.0, 82.0]);
        let b = moments(&[60.0, 75.0, 50.0, 90.0, 65.0, 70.0, 80.0, 55.0, 85.0]);
        let p = welch_p(&a, &b).unwrap();
        assert!((p - 0.029_933_729_564_756_744).abs() < 1e-9, "{p}");
    }

    #[test]
    fn welch_is_undefined_for_tiny_or_constant_groups() {
        assert_eq!(welch_p(&moments(&[50.0]), &moments(&[50.0, 75.0])), None);
        assert_eq!(welch_p(&moments(&[50.0, 50.0]), &moments(&[50.0, 50.0, 50.0])), None);
    }

    #[test]
    fn alpha_of_parallel_items_is_high() {
        // Two identical items: α = 1.
        let a = cronbach_alpha(&[1.0, 1.0], 4.0).unwrap();
        assert!((a - 1.0).abs() < 1e-12);
        assert_eq!(cronbach_alpha(&[1.0], 1.0), None);
    }
}
