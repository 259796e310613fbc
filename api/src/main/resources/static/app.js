"use strict";

// The browser UI: plain fetch() against /v1 with the key from this tab's session storage.
// Event streams are read with fetch() too, since EventSource cannot send an Authorization header.

const $ = (id) => document.getElementById(id);
const state = { key: sessionStorage.getItem("dd-key") || "", cursor: null, current: null, stream: null };

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: `Bearer ${state.key}`, ...(options.headers || {}) },
  });
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) {
    const fields = (body && body.errors || []).map((e) => `${e.field} ${e.reason}`).join("\n");
    throw new Error(`${response.status} ${body ? body.detail || body.title : response.statusText}${fields ? "\n" + fields : ""}`);
  }
  return body;
}

function showError(error) {
  $("error").textContent = error ? error.message : "";
  $("error").hidden = !error;
}

function image(url, alt) {
  const img = document.createElement("img");
  img.src = url;
  img.alt = alt;
  img.loading = "lazy";
  return img;
}

async function loadModels() {
  const { models } = await api("/v1/models");
  const diffusion = models.filter((m) => m.kind === "latent-diffusion");
  $("model").replaceChildren(...diffusion.map((m) => new Option(m.name, m.name)));
  const samplers = diffusion.length ? diffusion[0].samplers : [];
  $("sampler").replaceChildren(...samplers.map((s) => new Option(s, s)));
  if (diffusion.length) {
    $("sampler").value = diffusion[0].defaults.sampler;
    $("steps").value = diffusion[0].defaults.steps;
    $("guidance").value = diffusion[0].defaults.guidance_scale;
  }
}

async function submit(event) {
  event.preventDefault();
  showError(null);
  const body = {
    prompt: $("prompt").value,
    model: $("model").value || undefined,
    sampler: $("sampler").value || undefined,
    steps: Number($("steps").value),
    guidance_scale: Number($("guidance").value),
    num_images: Number($("num-images").value),
  };
  if ($("negative-prompt").value) body.negative_prompt = $("negative-prompt").value;
  if ($("seed").value !== "") body.seed = Number($("seed").value);
  try {
    const { id } = await api("/v1/generations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    watch(id);
  } catch (error) {
    showError(error);
  }
}

function log(text) {
  const item = document.createElement("li");
  item.textContent = text;
  $("event-log").append(item);
}

async function watch(id) {
  if (state.stream) state.stream.abort();
  state.current = id;
  state.stream = new AbortController();
  $("current").hidden = false;
  $("current-id").textContent = id;
  $("current-outputs").replaceChildren();
  $("event-log").replaceChildren();
  $("preview").hidden = true;
  $("cancel").disabled = false;
  try {
    const response = await fetch(`/v1/generations/${id}/events`, {
      headers: { Authorization: `Bearer ${state.key}`, Accept: "text/event-stream" },
      signal: state.stream.signal,
    });
    if (!response.ok) throw new Error(`${response.status} event stream refused`);
    await readEvents(response.body, (name, generation) => show(name, generation));
  } catch (error) {
    if (error.name !== "AbortError") showError(error);
  }
}

async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5);
      }
      if (data) onEvent(name, JSON.parse(data));
    }
  }
}

async function show(name, generation) {
  $("current-status").textContent = generation.status;
  const progress = generation.progress;
  if (progress) {
    $("current-progress").value = progress.percent;
    $("current-step").textContent = `step ${progress.step}/${progress.total}` +
      (progress.eta_ms ? `, about ${Math.ceil(progress.eta_ms / 1000)} s left` : "");
    if (progress.preview_url && name === "progress") showPreview(progress.preview_url);
  }
  log(name === "progress" && progress ? `step ${progress.step}/${progress.total}` : `${name}: ${generation.status}`);
  if (name === "end") {
    $("cancel").disabled = true;
    $("preview").hidden = true;
    if (generation.status === "succeeded") $("current-progress").value = 100;
    $("current-outputs").replaceChildren(...generation.outputs.map((o, i) => image(o.url, `output ${i}`)));
    if (generation.error) showError(new Error(`${generation.error.type}: ${generation.error.message}`));
    refreshGallery();
  }
}

async function showPreview(url) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${state.key}` } });
  if (!response.ok) return;
  const old = $("preview").src;
  $("preview").src = URL.createObjectURL(await response.blob());
  $("preview").hidden = false;
  if (old.startsWith("blob:")) URL.revokeObjectURL(old);
}

async function cancel() {
  if (!state.current) return;
  try {
    await api(`/v1/generations/${state.current}/cancel`, { method: "POST" });
  } catch (error) {
    showError(error);
  }
}

async function refreshGallery(more = false) {
  const query = new URLSearchParams({ limit: "12" });
  if (more && state.cursor) query.set("cursor", state.cursor);
  try {
    const page = await api(`/v1/generations?${query}`);
    const cards = page.data.map(card);
    if (more) $("gallery-items").append(...cards);
    else $("gallery-items").replaceChildren(...cards);
    state.cursor = page.next_cursor;
    $("more").hidden = !page.next_cursor;
  } catch (error) {
    showError(error);
  }
}

function card(generation) {
  const element = document.createElement("div");
  element.className = "card";
  element.dataset.id = generation.id;
  element.append(generation.outputs.length
    ? image(generation.outputs[0].url, generation.prompt || generation.id)
    : Object.assign(document.createElement("div"), { className: "placeholder", textContent: generation.status }));
  element.append(Object.assign(document.createElement("div"), { textContent: generation.prompt || "" }));
  element.addEventListener("click", () => details(generation.id));
  return element;
}

async function details(id) {
  try {
    const generation = await api(`/v1/generations/${id}`);
    $("details-id").textContent = id;
    $("details-images").replaceChildren(...(generation.outputs || []).map((o, i) => image(o.url, `output ${i}`)));
    $("details-json").textContent = JSON.stringify(
      { input: generation.input, outputs: generation.outputs, model_digest: generation.model_digest,
        timings_ms: generation.timings_ms, error: generation.error }, null, 2);
    $("details").showModal();
  } catch (error) {
    showError(error);
  }
}

async function useKey(key) {
  state.key = key;
  sessionStorage.setItem("dd-key", key);
  showError(null);
  try {
    await loadModels();
    await refreshGallery();
    document.body.dataset.ready = "true";
  } catch (error) {
    showError(error);
  }
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  useKey($("api-key").value.trim());
});
$("generation-form").addEventListener("submit", submit);
$("cancel").addEventListener("click", cancel);
$("refresh").addEventListener("click", () => refreshGallery());
$("more").addEventListener("click", () => refreshGallery(true));
if (state.key) useKey(state.key);
