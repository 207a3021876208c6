// The questionnaire updates live while typing; only a submit is logged as a question asked.
// htmx sends the submit's request with X-Advisor-Submit so the server can tell them apart.
document.addEventListener("htmx:configRequest", (event) => {
  const trigger = event.detail.triggeringEvent;
  if (event.detail.elt && event.detail.elt.id === "advisor-form" && trigger && trigger.type === "submit") {
    event.detail.headers["X-Advisor-Submit"] = "1";
  }
});
