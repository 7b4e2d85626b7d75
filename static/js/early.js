// Loaded (blocking) in <head>: mark the page as scripted before it is drawn, so questions that
// the checklist script hides do not flash into view first. A file, never inline (CSP).
document.documentElement.classList.add("js-enabled");
