// A text slide (welcome, purpose, what happens with the input): nothing to answer or count.

import { t } from "../i18n.js";

export default {
  input: false,
  phone: (activity, { h }) => h("p", { key: "info", class: "muted" }, t("phone.info")),
};
