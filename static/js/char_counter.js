// A counter under long text fields: "1 980 / 2 000 characters", and a word when the limit is
// reached (the browser keeps only the first characters of what is typed or pasted beyond it).
// Progressive enhancement: without this script the field keeps its maxlength and the server
// still says beside the field when a text is too long.
(() => {
  const texts = document.getElementById("char-counter-texts");
  if (!texts) return;
  const MIN_LENGTH = 200; // shorter fields (a name, a phone) need no counter
  const ANNOUNCE_AFTER_MS = 1000; // screen readers hear the count once typing pauses
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const fill = (template, count, max) =>
    template.replace("{count}", numbers.format(count)).replace("{max}", numbers.format(max));

  const attach = (field, index) => {
    const max = Number(field.getAttribute("maxlength"));
    if (!Number.isFinite(max) || max < MIN_LENGTH || field.dataset.charCounter) return;
    field.dataset.charCounter = "on";
    const id = `${field.id || `char-field-${index}`}-counter`;
    const visible = document.createElement("div");
    visible.className = "form-text char-counter";
    visible.id = id;
    const spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    spoken.id = `${id}-live`;
    field.insertAdjacentElement("afterend", visible);
    visible.insertAdjacentElement("afterend", spoken);
    field.setAttribute("aria-describedby", [field.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));

    let timer = null;
    const message = () => {
      const count = field.value.length;
      const full = count >= max;
      return { full, text: fill(full ? texts.dataset.full : texts.dataset.count, count, max) };
    };
    const update = (announce) => {
      const { full, text } = message();
      visible.textContent = text;
      visible.classList.toggle("is-full", full);
      if (!announce) return;
      clearTimeout(timer);
      // At the limit it is said at once: what is typed next is lost.
      timer = setTimeout(() => { spoken.textContent = message().text; }, full ? 0 : ANNOUNCE_AFTER_MS);
    };
    field.addEventListener("input", () => update(true));
    update(false);
  };

  const attachAll = (root) => root.querySelectorAll("textarea[maxlength], input[maxlength]").forEach(attach);
  attachAll(document);
  // Forms that arrive later (htmx swaps) get their counters too.
  document.body.addEventListener("htmx:afterSwap", (event) => attachAll(event.target));
})();
