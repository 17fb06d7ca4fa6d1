// justclick-import web page: drag and drop, small forms, live progress. No library, no build.
"use strict";

document.documentElement.classList.add("js");

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}

function setUpUpload(form) {
  const input = form.querySelector("input[type=file]");
  const zone = form.querySelector("[data-dropzone]");
  const send = () => (form.requestSubmit ? form.requestSubmit() : form.submit());
  input.addEventListener("change", () => { if (input.files.length) send(); });
  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    event.preventDefault();
    zone.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, () => zone.classList.remove("over")));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    send();
  });
}

function setUpProblems(form) {
  // Only the cells changed are sent: a page of rows can hold thousands of inputs.
  form.addEventListener("submit", () => {
    form.querySelectorAll("input[name^='c.']").forEach((input) => {
      if (input.value === input.defaultValue) input.disabled = true;
    });
  });
  form.querySelectorAll("input[name^='c.']").forEach((input) => {
    input.addEventListener("input", () => {
      input.closest("td").classList.toggle("changed", input.value !== input.defaultValue);
    });
  });
}

function setUpProgress(box) {
  const texts = {};
  box.querySelectorAll("template[data-text]").forEach((t) => { texts[t.dataset.text] = t.innerHTML; });
  const show = (data) => {
    box.dataset.done = data.done;
    box.dataset.total = data.total;
    box.dataset.state = data.state;
    const bar = box.querySelector("[data-bar]");
    bar.max = data.total || 1;
    bar.value = data.done;
    if (data.state !== "preparing") {
      box.querySelector("[data-field=done-of]").textContent = fill(texts["done-of"], data);
    }
    box.querySelectorAll("[data-count]").forEach((cell) => {
      cell.textContent = data.counts[cell.dataset.count] || 0;
    });
    box.querySelector("[data-field=rate]").textContent = fill(texts.rate, data);
    box.querySelector("[data-field=eta]").textContent = data.eta === null ? "" : fill(texts.eta, data);
    box.querySelector("[data-field=cancelling]").hidden = !data.cancelling;
  };
  const poll = () => {
    fetch(box.dataset.progress, { credentials: "same-origin", cache: "no-store" })
      .then((answer) => answer.json())
      .then((data) => {
        if (String(data.run) !== box.dataset.run) { window.location.reload(); return; }
        show(data);
        if (data.state === "finished" || data.state === "failed") {
          window.location.assign("/results");
        } else {
          window.setTimeout(poll, 400);
        }
      })
      .catch(() => window.setTimeout(poll, 1500));
  };
  if (box.dataset.state === "preparing" || box.dataset.state === "sending") poll();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-upload]").forEach(setUpUpload);
  document.querySelectorAll("form[data-problems-form]").forEach(setUpProblems);
  document.querySelectorAll("[data-progress]").forEach(setUpProgress);
});
