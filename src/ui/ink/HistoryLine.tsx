import type { HistoryItem } from "../progress-state.js";
import { HopLine } from "./HopLine.js";
import { NoteLine } from "./NoteLine.js";
import { ResultView } from "./ResultView.js";
import { StageRow } from "./StageRow.js";
import { VerifyView } from "./VerifyView.js";

// Printed once by <Static>: a finished item never changes, so its time is its own, not the clock's.
export function HistoryLine({ item, width }: { readonly item: HistoryItem; readonly width: number }) {
  switch (item.kind) {
    case "note":
      return <NoteLine note={item.note} width={width} />;
    case "stage":
      return <StageRow stage={item.stage} now={item.stage.finishedAt ?? item.stage.startedAt ?? 0} width={width} />;
    case "verify":
      return <VerifyView report={item.report} width={width} />;
    case "hop":
      return <HopLine hop={item.hop} width={width} />;
    case "result":
      return <ResultView outcome={item.outcome} width={width} />;
  }
}
