/**
 * The dashboard's styles, inline under the page's CSP nonce. Text is at least 7:1 on white (links and
 * muted text too), focus is a thick outline that shows on every control, and nothing relies on colour.
 */
export const dashboardStyles = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f1f1f;background:#f4f5f7;line-height:1.5}
body{margin:0}
a{color:#0b4f8a;text-underline-offset:.15em}
a:hover{color:#06335c}
:focus-visible{outline:3px solid #1f1f1f;outline-offset:2px;box-shadow:0 0 0 6px #ffdd00}
.wrap{max-width:78rem;margin:0 auto;padding:0 1.25rem}
.skip{position:absolute;left:-999rem;top:0;background:#ffdd00;color:#1f1f1f;padding:.5rem 1rem;z-index:1}
.skip:focus{left:0}
.banner{background:#1d3557;color:#fff;padding:1.5rem 0 1.25rem}
.banner .network{margin:0;font-size:1rem;opacity:.95}
.banner h1{margin:.25rem 0;font-size:2rem;line-height:1.2}
.banner .scope{margin:0;font-size:1.125rem}
.expiry{background:#fff;border-left:.375rem solid #1d3557;padding:.75rem 1rem;margin:1.25rem 0}
.panel{background:#fff;border:1px solid #c9ced6;border-radius:.5rem;padding:1.25rem;margin:1.25rem 0}
h2{font-size:1.5rem;margin:0 0 .75rem;line-height:1.25}
h3{font-size:1.125rem;margin:1.25rem 0 .5rem}
.filters form{display:grid;grid-template-columns:1fr;gap:1rem 1.25rem;align-items:end}
@media (min-width:48rem){.filters form{grid-template-columns:repeat(2,1fr)}}
@media (min-width:72rem){.filters form{grid-template-columns:1.6fr repeat(4,1fr)}}
.field label{display:block;font-weight:600}
.hint{margin:.125rem 0 .375rem;color:#4d4d4d;font-size:.9375rem}
input[type=text],select{width:100%;font:inherit;padding:.4rem .5rem;border:2px solid #4d4d4d;border-radius:.25rem;background:#fff;color:#1f1f1f}
[aria-invalid=true]{border-color:#a4161a}
.error{color:#a4161a;font-weight:600;margin:.25rem 0}
.actions{grid-column:1/-1;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
button{font:inherit;font-weight:600;padding:.5rem 1.25rem;border:0;border-radius:.25rem;background:#0b6e3a;color:#fff;cursor:pointer;box-shadow:0 2px 0 #06391e}
button:hover{background:#085a2f}
.problems{border:3px solid #a4161a;border-radius:.25rem;padding:.75rem 1rem;margin:0 0 1rem}
.problems h3{margin:0 0 .25rem}
.asides{margin:1rem 0 0;padding-left:1.25rem;color:#4d4d4d}
.headline{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.75rem;margin:0 0 1rem}
.headline div{border:1px solid #c9ced6;border-radius:.375rem;padding:.625rem .875rem;background:#f9fafb}
.headline dt{font-size:.9375rem;color:#4d4d4d}
.headline dd{margin:0;font-size:1.5rem;font-weight:700}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,30rem),1fr));gap:1.25rem}
figure{position:relative;margin:0;border:1px solid #c9ced6;border-radius:.375rem;padding:.75rem;background:#fff}
figure svg{display:block;width:100%;height:auto}
details{margin:.5rem 0}
summary{cursor:pointer;color:#0b4f8a;text-decoration:underline;text-underline-offset:.15em}
.note{color:#4d4d4d}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0;background:#fff}
caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{border-bottom:1px solid #c9ced6;padding:.4rem .6rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #1f1f1f}
td.number,th.number{text-align:right;font-variant-numeric:tabular-nums}
.rag::before{content:"";display:inline-block;width:.75rem;height:.75rem;margin-right:.4rem;border:1px solid #1f1f1f;border-radius:50%;vertical-align:-.05rem}
.rag-red::before{background:#d55e00}
.rag-amber::before{background:#e69f00}
.rag-green::before{background:#009e73}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{color:#4d4d4d;padding:1rem 0 2rem}
`;
