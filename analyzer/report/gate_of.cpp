// CI formats always report findings; when no gate ran (plain `scan`), they come from the
// assessment alone, with no policy.
#include "analyzer/gate/gate.h"
#include "analyzer/report/reports.h"

namespace mlm {

std::shared_ptr<const GateOutcome> gate_of(const ReportContext& ctx) {
  if (ctx.gate) return std::shared_ptr<const GateOutcome>(ctx.gate, [](const GateOutcome*) {});  // not owned
  return std::make_shared<GateOutcome>(evaluate_gate(ctx.engine, ctx.result, Policy{}, nullptr, ""));
}

}  // namespace mlm
