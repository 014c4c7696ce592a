() => {
  // The interview's countdown and question reader, and Ask's citation links, run once per page (passed to launch(js=...)).
  // The server renders <div class="clock" data-turn data-remaining data-say ...> in #clock for
  // every question it puts; this script counts down from data-remaining and, when the time is
  // up, stops a recording in progress (its transcript then lands in the answer box and is sent)
  // or presses Send (an empty box is recorded as timed out). With "read aloud" ticked it reads
  // each new question with the browser's speech synthesis, in a Korean voice when there is one.
  if (window.__coachClock) return;
  window.__coachClock = true;
  let turn = null, deadline = null, fired = false;
  const pad = (n) => String(n).padStart(2, "0");
  const fmt = (s) => `${Math.floor(s / 60)}:${pad(Math.floor(s % 60))}`;
  const stopButton = () =>
    [...document.querySelectorAll("#mic button")].find(
      (b) => /stop/i.test(`${b.className} ${b.getAttribute("aria-label") || ""}`) && b.offsetParent !== null
    );
  const ticked = () => {
    const box = document.querySelector("#tts input[type=checkbox]");
    return !!(box && box.checked);
  };
  function speak(el) {
    const text = el.dataset.say || "";
    const note = el.querySelector(".voice");
    if (!text || !ticked()) return;
    const synth = window.speechSynthesis;
    const voices = synth ? synth.getVoices() : [];
    const korean = voices.find((v) => /^ko/i.test(v.lang));
    if (!synth || !korean) {
      note.textContent = el.dataset.noVoice || "";
      el.dataset.voice = "none";
      return;
    }
    synth.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.voice = korean;
    u.lang = korean.lang;
    synth.speak(u);
    el.dataset.voice = korean.lang;
  }
  window.__coachAfterTranscript = () => {
    if (!window.__coachSubmitPending) return;
    window.__coachSubmitPending = false;
    setTimeout(() => document.querySelector("#send")?.click(), 200);
  };
  function timeUp(el) {
    el.classList.add("up");
    const stop = stopButton();
    if (stop) {
      window.__coachSubmitPending = true; // the transcript arrives, then Send is pressed
      stop.click();
    } else {
      document.querySelector("#send")?.click();
    }
  }
  // Voices load asynchronously in Chromium: read the current question once they arrive.
  if (window.speechSynthesis) {
    window.speechSynthesis.onvoiceschanged = () => {
      const el = document.querySelector("#clock .clock");
      if (el && !el.dataset.voice) speak(el);
    };
  }
  document.addEventListener("change", (e) => {
    if (e.target.closest && e.target.closest("#tts") && e.target.checked) {
      const el = document.querySelector("#clock .clock");
      if (el) speak(el);
    }
  });
  setInterval(() => {
    const el = document.querySelector("#clock .clock");
    if (!el) return;
    const out = el.querySelector(".left");
    if (el.dataset.turn !== turn) {
      turn = el.dataset.turn;
      fired = false;
      const remaining = parseFloat(el.dataset.remaining);
      deadline = Number.isFinite(remaining) && turn ? Date.now() + remaining * 1000 : null;
      speak(el);
    }
    if (deadline === null) {
      out.textContent = "";
      return;
    }
    const left = Math.max(0, (deadline - Date.now()) / 1000);
    el.classList.toggle("low", left <= 10);
    if (left <= 0) {
      out.textContent = el.dataset.upLabel;
      if (!fired) {
        fired = true;
        timeUp(el);
      }
    } else {
      out.textContent = `⏱ ${el.dataset.leftLabel} ${fmt(Math.ceil(left))}`;
    }
  }, 250);
  // Ask's citations: [n] opens the n-th cited entry below the answer and scrolls to it (the URL stays as it is).
  document.addEventListener("click", (e) => {
    const cite = e.target.closest && e.target.closest("a.cite");
    if (!cite) return;
    e.preventDefault();
    const item = cite.closest(".ask")?.querySelector(`li[data-cite="${cite.dataset.cite}"]`);
    if (!item) return;
    const entry = item.querySelector("details");
    if (entry) entry.open = true;
    item.scrollIntoView({ block: "center" });
    item.classList.add("cited");
    setTimeout(() => item.classList.remove("cited"), 1500);
  });
}
