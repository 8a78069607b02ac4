/* DingTalk in-app silent sign-in (免登): ask the DingTalk container for an authCode and post
   it to MeetOps (workim/dingtalk/views.py). Outside DingTalk (no `dd`, or `dd.env` says so),
   without a corp id to ask for, or when the container refuses, show the button to DingTalk's
   usual sign-in page. */
(function () {
  "use strict";
  var box = document.getElementById("dingtalk-app");
  if (!box || box.getAttribute("data-auto") !== "1") { return; }

  function fallback() {
    document.getElementById("dingtalk-waiting").hidden = true;
    document.getElementById("dingtalk-fallback").hidden = false;
  }

  var dd = window.dd;
  var outside = !dd || (dd.env && dd.env.platform === "notInDingTalk");
  var permission = dd && dd.runtime && dd.runtime.permission;
  // The unified JSAPI's getAuthCode answers {authCode}; the older requestAuthCode {code}.
  var ask = dd && (typeof dd.getAuthCode === "function" ? dd.getAuthCode
    : permission && typeof permission.requestAuthCode === "function" ? permission.requestAuthCode
    : null);
  var corpId = box.getAttribute("data-corp-id");
  if (outside || !ask || !corpId) { fallback(); return; }

  var asked;
  try {
    asked = Promise.resolve(ask.call(dd, { corpId: corpId }));
  } catch (error) {
    fallback();
    return;
  }
  asked.then(function (answer) {
    var code = answer && (answer.authCode || answer.code);
    if (!code) { fallback(); return; }
    document.getElementById("dingtalk-code").value = code;
    document.getElementById("dingtalk-code-form").submit();
  }, fallback);
})();
