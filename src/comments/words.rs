//! The words that put a comment on HR's list to read first (要確認) and
//! those that tag it with a category's theme (`[comment_settings]`), found in
//! one pass: the comment is normalised once, as the words were, and searched
//! with one automaton however many words the lists hold.

use aho_corasick::AhoCorasick;

use crate::comments::AnalysisError;
use crate::config::comments::{CommentSettings, Flag};
use crate::text::normalize;

/// Finds a survey's flag and theme words in comments (from any thread).
#[derive(Debug, Clone)]
pub struct WordFinder {
    automaton: AhoCorasick,
    /// Whose word each pattern is.
    owners: Vec<Owner>,
    themes: usize,
}

#[derive(Debug, Clone, Copy)]
enum Owner {
    Flag(Flag),
    Theme(usize),
}

/// What a comment's words say about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// The flags whose words it holds, in [`Flag`] order.
    pub flags: Vec<Flag>,
    /// The categories (by index in the survey's categories) whose theme words it holds, in order.
    pub themes: Vec<usize>,
}

impl WordFinder {
    /// Compiles the settings' flag and theme words (already normalised).
    pub fn new(settings: &CommentSettings) -> Result<WordFinder, AnalysisError> {
        let mut patterns: Vec<&str> = Vec::new();
        let mut owners = Vec::new();
        for (flag, words) in &settings.flag_words {
            patterns.extend(words.iter().map(String::as_str));
            owners.extend(words.iter().map(|_| Owner::Flag(*flag)));
        }
        for (category, words) in settings.themes.iter().enumerate() {
            patterns.extend(words.iter().map(String::as_str));
            owners.extend(words.iter().map(|_| Owner::Theme(category)));
        }
        let automaton = AhoCorasick::new(&patterns).map_err(|e| AnalysisError(e.to_string()))?;
        Ok(WordFinder { automaton, owners, themes: settings.themes.len() })
    }

    /// Returns the flags and themes whose words a comment holds (compared normalised:
    /// whatever the width, katakana or hiragana, spaces).
    pub fn find(&self, text: &str) -> Found {
        let text = normalize(text);
        let mut flags = [false; 4];
        let mut themes = vec![false; self.themes];
        for found in self.automaton.find_overlapping_iter(&text) {
            match self.owners[found.pattern().as_usize()] {
                Owner::Flag(flag) => flags[flag as usize] = true,
                Owner::Theme(category) => themes[category] = true,
            }
        }
        Found {
            flags: [Flag::SelfHarm, Flag::Harassment, Flag::Leaving, Flag::Person]
                .into_iter()
                .filter(|f| flags[*f as usize])
                .collect(),
            themes: (0..self.themes).filter(|&c| themes[c]).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_themes_match_whatever_the_width_or_kana() {
        let s = CommentSettings::default_for(&["self_growth", "health", "own"]);
        let finder = WordFinder::new(&s).unwrap();
        assert_eq!(finder.find("上司のﾊﾟﾜﾊﾗがひどく、もう辞めたい").flags, [Flag::Harassment, Flag::Leaving]);
        assert_eq!(finder.find("消えたいと思うことがある").flags, [Flag::SelfHarm]);
        assert_eq!(finder.find("研修を増やしてほしい"), Found { flags: vec![], themes: vec![0] });
        assert_eq!(finder.find("ＯＪＴより研修がほしい。ストレスが多い").themes, [0, 1]);
        assert_eq!(finder.find("特に思いつきません"), Found::default());
        assert!(s.themes[2].is_empty(), "a category of the city's own has no default words");
    }

    #[test]
    fn words_inside_other_words_are_all_found() {
        // Overlapping words of different lists: each list sees its own.
        let mut s = CommentSettings::default_for(&["a", "b"]);
        s.flag_words =
            vec![(Flag::SelfHarm, vec![]), (Flag::Harassment, vec!["ぱわはら".into()]), (Flag::Leaving, vec![])];
        s.themes = vec![vec!["はら".into()], vec!["ぱわ".into(), "上司".into()]];
        let finder = WordFinder::new(&s).unwrap();
        assert_eq!(finder.find("パワハラ"), Found { flags: vec![Flag::Harassment], themes: vec![0, 1] });
    }
}
