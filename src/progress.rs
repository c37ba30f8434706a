//! Batch progress on the terminal: a bar with count, rate and ETA when
//! stderr is a terminal, one plain line per unit otherwise (logs, CI), or
//! nothing with `--quiet`.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::batch::Progress;
use crate::tr;

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Bar,
    Lines,
    Quiet,
}

impl Mode {
    /// A bar on a terminal, lines otherwise; `quiet` wins.
    pub fn detect(quiet: bool) -> Mode {
        if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

/// The progress display of one batch.
pub struct Reporter {
    mode: Mode,
    bar: ProgressBar,
}

impl Reporter {
    pub fn new(mode: Mode) -> Reporter {
        let bar = match mode {
            Mode::Bar => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            _ => ProgressBar::hidden(),
        };
        let template =
            tr!("{bar:30} {pos}/{len} 份  {rate}  剩余 {eta}  {msg}", "{bar:30} {pos}/{len}  {rate}  ETA {eta}  {msg}");
        // Whole documents per second (indicatif's own {per_sec} prints
        // four decimals).
        let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()).with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}{}", state.per_sec(), tr!(" 份/秒", "/s"));
            },
        );
        bar.set_style(style);
        Reporter { mode, bar }
    }
}

impl Progress for Reporter {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
        if self.mode == Mode::Lines {
            eprintln!("{}", tr!(format!("开始生成 {total} 份文档"), format!("rendering {total} documents")));
        }
    }

    fn done(&self, label: &str, ok: bool) {
        self.bar.inc(1);
        match self.mode {
            Mode::Bar => self.bar.set_message(label.to_owned()),
            Mode::Lines => {
                let n = self.bar.position();
                let len = self.bar.length().unwrap_or(0);
                let status = if ok { tr!("完成", "done") } else { tr!("失败", "FAILED") };
                eprintln!("[{n}/{len}] {status} {label}");
            }
            Mode::Quiet => {}
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
