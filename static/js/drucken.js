// "Drucken" buttons (data-drucken) open the browser's print dialog; hidden without JavaScript.
document.querySelectorAll("[data-drucken]").forEach((knopf) => {
  knopf.hidden = false;
  knopf.addEventListener("click", () => window.print());
});
