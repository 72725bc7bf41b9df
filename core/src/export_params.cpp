#include "mmm/export_params.hpp"

#include "mmm/dag.hpp"
#include "mmm/errors.hpp"

namespace mmm {

int GraphExport::phase(int t) const { return season.phase(t); }

GraphExport export_graph_params(const FittedModel& m) {
  GraphExport g;
  g.spec = m.spec();
  const ModelSpec& s = g.spec;
  const ParamLayout L(s);
  const std::vector<float>& P = m.parameters();
  if (P.size() != L.total) throw InvalidData("model parameters do not match the model's dimensions");
  for (const SlotInfo& si : L.slots) {
    ParamBlock b;
    b.name = si.name;
    b.rows = si.slot.rows;
    b.cols = si.slot.cols;
    b.values.assign(P.begin() + static_cast<std::ptrdiff_t>(si.slot.off),
                    P.begin() + static_cast<std::ptrdiff_t>(si.slot.off + si.slot.size));
    g.blocks.push_back(std::move(b));
  }
  const int C = s.channels;
  g.dag_mask.assign(static_cast<size_t>(C) * C, 0.0f);
  for (int i = 0; i < C; ++i)
    for (int j = 0; j < C; ++j) g.dag_mask[static_cast<size_t>(i) * C + j] = dag::mask_at(s.notears, i, j) ? 1.0f : 0.0f;

  const Scalers& sc = m.scalers();
  g.media_divisor = sc.media_divisor;
  g.control_center = sc.control_center;
  g.control_scale = sc.control_scale;
  g.control_clip = sc.control_clip;
  g.kpi_mean = sc.kpi_mean;
  g.adstock_init = sc.adstock_init;

  g.season = m.seasonality();
  g.harmonics = g.season.harmonics;
  // The basis table: a calendar whose week t has week_of_year t + 1, so row p is phase p.
  Seasonality table = g.season;
  table.week_of_year.resize(53);
  for (int p = 0; p < 53; ++p) table.week_of_year[p] = p + 1;
  table.panel_weeks = 53;
  g.season_table = table.basis(53);
  g.weeks = m.weeks();
  g.train_weeks = m.train_weeks();
  g.week_of_year.resize(g.weeks);
  for (int t = 0; t < g.weeks; ++t) g.week_of_year[t] = g.season.phase(t) + 1;
  g.trend = trend_series(g.weeks, g.train_weeks);
  return g;
}

}  // namespace mmm
