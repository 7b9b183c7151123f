//! org.csv: the departments of each fiscal year, their tree, headcounts and
//! the codes of last year each one continues (組織改編).
//!
//! An [`Org`] holds, per year, departments in file order with parent and
//! children resolved, so later stages can walk subtrees and predecessors.
//! `ingest::org` reads and validates the file into one.

use std::collections::{BTreeMap, HashMap};

use crate::config::year::FiscalYear;

/// The columns org.csv must have.
pub const ORG_COLUMNS: [&str; 6] = ["year", "code", "name", "parent", "headcount", "previous_codes"];

/// One department in one fiscal year.
#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    /// Its code that year.
    pub code: String,
    /// Its Japanese name that year.
    pub name: String,
    /// Index of its parent in [`OrgYear::departments`].
    pub parent: Option<usize>,
    /// Staff of the department itself, not counting departments below it.
    pub headcount: u32,
    /// Codes of last year it continues; empty means the same code.
    pub previous_codes: Vec<String>,
}

/// The organisation of one fiscal year.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgYear {
    /// The fiscal year.
    pub year: FiscalYear,
    /// Departments in org.csv order.
    pub departments: Vec<Department>,
    /// Children of each department, in org.csv order.
    pub children: Vec<Vec<usize>>,
    index: HashMap<String, usize>,
}

impl OrgYear {
    /// Builds the year from departments whose parents are already resolved.
    pub fn new(year: FiscalYear, departments: Vec<Department>) -> OrgYear {
        let index = departments.iter().enumerate().map(|(i, d)| (d.code.clone(), i)).collect();
        let mut children = vec![Vec::new(); departments.len()];
        for (i, d) in departments.iter().enumerate() {
            if let Some(p) = d.parent {
                children[p].push(i);
            }
        }
        OrgYear { year, departments, children, index }
    }

    /// Returns the index of a code.
    pub fn find(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }

    /// Returns the department with this code.
    pub fn get(&self, code: &str) -> Option<&Department> {
        self.find(code).map(|i| &self.departments[i])
    }

    /// Returns the top-level departments in file order.
    pub fn roots(&self) -> Vec<usize> {
        (0..self.departments.len()).filter(|&i| self.departments[i].parent.is_none()).collect()
    }

    /// Returns a department and its ancestors, the department first.
    pub fn ancestors(&self, mut i: usize) -> Vec<usize> {
        let mut out = vec![i];
        while let Some(p) = self.departments[i].parent {
            if out.contains(&p) {
                break; // a cycle; validation reports it
            }
            out.push(p);
            i = p;
        }
        out
    }

    /// Returns a department and every department below it, in file order.
    pub fn subtree(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut k = 0;
        while k < out.len() {
            for &c in &self.children[out[k]] {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            k += 1;
        }
        out.sort_unstable();
        out
    }

    /// Returns the headcount of a department's whole subtree.
    pub fn subtree_headcount(&self, i: usize) -> u64 {
        self.subtree(i).iter().map(|&j| u64::from(self.departments[j].headcount)).sum()
    }

    /// Returns the headcount of the whole organisation.
    pub fn total_headcount(&self) -> u64 {
        self.departments.iter().map(|d| u64::from(d.headcount)).sum()
    }

    /// Returns the full name with its parents: `総務部 人事課`.
    pub fn path_name(&self, i: usize) -> String {
        let mut names: Vec<&str> = self.ancestors(i).iter().rev().map(|&j| self.departments[j].name.as_str()).collect();
        names.dedup();
        names.join(" ")
    }
}

/// Departments of every fiscal year in org.csv.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Org {
    /// Each year's organisation.
    pub years: BTreeMap<FiscalYear, OrgYear>,
}

impl Org {
    /// Returns a year's organisation.
    pub fn year(&self, year: FiscalYear) -> Option<&OrgYear> {
        self.years.get(&year)
    }

    /// Returns the codes of `year - 1` that a department of `year` continues.
    ///
    /// Empty previous_codes means the same code, when that code existed the year
    /// before; a department new that year has no predecessors.
    pub fn predecessors(&self, year: FiscalYear, code: &str) -> Vec<String> {
        let Some(this) = self.year(year) else { return Vec::new() };
        let Some(dept) = this.get(code) else { return Vec::new() };
        if !dept.previous_codes.is_empty() {
            return dept.previous_codes.clone();
        }
        match self.year(year.previous()) {
            Some(prev) if prev.find(code).is_some() => vec![code.to_string()],
            _ => Vec::new(),
        }
    }
}
