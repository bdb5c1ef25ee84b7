// Styles of the learning pages (grid, quiz screen), inlined by those routes so the shared
// stylesheet stays untouched. Level colours are paired with a symbol and text, never colour alone.
export const learningCss = `
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); white-space: nowrap; border: 0; }
.lg-filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: flex-end; margin-bottom: 1rem; }
.lg-filters .field { margin: 0; }
.lg-grid { border-collapse: separate; border-spacing: 0; font-size: .88rem; width: max-content; min-width: 100%; }
.lg-grid th, .lg-grid td { padding: .3rem .45rem; border-bottom: 1px solid var(--line); border-right: 1px solid #eef0f5; white-space: nowrap; text-align: center; }
.lg-grid thead th { position: sticky; top: 0; background: #f3f5fa; z-index: 1; vertical-align: bottom; max-width: 9rem; white-space: normal; font-size: .8rem; }
.lg-grid th.lg-name, .lg-grid td.lg-name { position: sticky; left: 0; background: #fff; text-align: left; z-index: 2; min-width: 11rem; }
.lg-grid thead th.lg-name { z-index: 3; background: #f3f5fa; }
.lg-grid a { text-decoration: none; }
.lg-kind { display: block; font-weight: 400; font-size: .72rem; text-transform: uppercase; letter-spacing: .04em; }
.pub { font-weight: 700; }
.lg-grid td:empty::after { content: '·'; color: var(--muted); }
.lg-grid td.s { font-variant-numeric: tabular-nums; font-weight: 600; }
.lg-grid td.hi { color: var(--ok); } .lg-grid td.mid { color: var(--warn); } .lg-grid td.lo { color: var(--bad); }
.lg-grid td.l { font-size: .78rem; font-weight: 600; }
.lg-grid td.not_yet { background: #fdeceb; color: #8d1d13; }
.lg-grid td.in_progress { background: #fff5e0; color: #6d4700; }
.lg-grid td.acquired { background: #e4f5ea; color: #17613a; }
.lg-grid td.p1::after, .pub.p1::after { content: ' ✓'; }
.lg-grid td.p2::after, .pub.p2::after { content: ' ◔'; }
.lvl { display: inline-block; border-radius: 999px; padding: .05rem .45rem; font-size: .78rem; font-weight: 600; white-space: nowrap; }
.lvl.not_yet { background: #fdeceb; color: #8d1d13; }
.lvl.in_progress { background: #fff5e0; color: #6d4700; }
.lvl.acquired { background: #e4f5ea; color: #17613a; }
.pub { font-size: .75rem; margin-left: .2rem; }
.lg-legend { display: flex; gap: 1rem; flex-wrap: wrap; font-size: .85rem; color: var(--muted); margin: .4rem 0 1rem; }
.lg-rows td, .lg-rows th { vertical-align: middle; }
.lg-check { width: 1.2rem; height: 1.2rem; }
.q-block { border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; margin-bottom: 1rem; background: #fbfcfe; }
.q-block legend { font-weight: 700; padding: 0 .3rem; }
.q-choices { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: .5rem; }
.q-choice { display: flex; gap: .5rem; align-items: center; }
.q-choice input[type=text] { flex: 1; }
.skills-pick { max-height: 18rem; overflow: auto; border: 1px solid var(--line); border-radius: 8px; padding: .5rem .8rem; background: #fff; }
.skills-pick h4 { margin: .6rem 0 .2rem; font-size: .9rem; }
.skills-pick label { display: flex; gap: .5rem; align-items: flex-start; font-weight: 400; margin: .15rem 0; }
/* The quiz for children: big targets, big type, works on a tablet held either way. */
.quiz { max-width: 900px; margin: 0 auto; font-size: 1.35rem; }
.quiz h1 { font-size: 2rem; }
.quiz-progress { font-size: 1.1rem; color: var(--muted); margin-bottom: .5rem; }
.quiz-q { border: 0; padding: 0; margin: 0 0 2rem; }
.quiz-q legend { font-size: 1.7rem; font-weight: 700; line-height: 1.35; margin-bottom: 1rem; }
.quiz-pic { display: block; max-width: 100%; max-height: 40vh; border-radius: 14px; margin: 0 0 1rem; }
.quiz-choices { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 1rem; }
.quiz-choice { position: relative; }
.quiz-choice input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.quiz-choice label { display: flex; align-items: center; gap: .8rem; min-height: 88px; padding: 1rem 1.3rem; border: 3px solid var(--line);
  border-radius: 18px; background: #fff; cursor: pointer; font-size: 1.6rem; font-weight: 600; line-height: 1.25; }
.quiz-choice label .dot { flex: 0 0 auto; width: 2.2rem; height: 2.2rem; border-radius: 50%; border: 3px solid var(--brand); display: inline-flex;
  align-items: center; justify-content: center; font-size: 1.2rem; color: var(--brand); }
.quiz-choice input:checked + label { border-color: var(--brand); background: #e6ecfb; }
.quiz-choice input:checked + label .dot { background: var(--brand); color: #fff; }
.quiz-choice input:focus-visible + label { outline: 4px solid #f2b000; outline-offset: 2px; }
.quiz-nav { display: flex; gap: 1rem; justify-content: space-between; flex-wrap: wrap; margin-top: 1rem; }
.quiz button, .quiz .button { font-size: 1.5rem; min-height: 72px; padding: .8rem 1.8rem; border-radius: 16px; }
.quiz .listen { font-size: 1.2rem; min-height: 56px; padding: .4rem 1rem; margin-bottom: 1rem; }
.quiz-done { text-align: center; }
.quiz-done .big { font-size: 4.5rem; line-height: 1; margin: .5rem 0; color: #e0a100; letter-spacing: .1em; }
.mark-right { color: var(--ok); font-weight: 700; } .mark-wrong { color: var(--bad); font-weight: 700; }
.quiz button:disabled { opacity: .45; cursor: not-allowed; }
.quiz-review { list-style: none; padding: 0; text-align: left; }
.quiz-review li { padding: .7rem 1rem; border-radius: 12px; margin-bottom: .6rem; background: #fff; border: 2px solid var(--line); }
.quiz-review li.right { border-color: #a8dcb9; } .quiz-review li.wrong { border-color: #f2b8b5; }
.act-list { list-style: none; padding: 0; display: grid; gap: .8rem; }
.act-list a { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: 1rem 1.2rem; min-height: 72px;
  border: 2px solid var(--line); border-radius: 16px; background: #fff; text-decoration: none; color: var(--ink); font-size: 1.3rem; font-weight: 600; }
.act-list a.todo { border-color: var(--brand); }
`
