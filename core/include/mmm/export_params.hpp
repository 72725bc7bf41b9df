// Read-only view of a fitted model for exporters (the ONNX graph built in web/src/export/onnx.ts):
// every parameter block of the ParamLayout by name, the model's dimensions, the scalers, and the
// per-week inputs the forward pass derives from the calendar (seasonal basis, trend), so an
// exporter can rebuild model.cpp's forward pass without re-implementing the core's bookkeeping.
// Nothing here changes the model.
#pragma once
#include <string>
#include <vector>

#include "mmm/fit.hpp"

namespace mmm {

struct ParamBlock {
  std::string name;  // the ParamLayout slot name (model.cpp), e.g. "gru_wi"
  int rows = 0, cols = 0;
  std::vector<float> values;  // row-major [rows][cols], raw (unconstrained) parameter values
};

struct GraphExport {
  ModelSpec spec;
  std::vector<ParamBlock> blocks;  // every slot of ParamLayout(spec), in layout order
  // DAG mask M [C*C] (1 where an edge from row to column may exist), as model.cpp applies it.
  std::vector<float> dag_mask;
  // Scalers (scaling.hpp), region-major.
  std::vector<float> media_divisor;   // [R*C]
  std::vector<float> control_center;  // [R*K]
  std::vector<float> control_scale;   // [R*K]
  float control_clip = 0;
  std::vector<double> kpi_mean;       // [R]
  std::vector<float> adstock_init;    // [R*C] adstock state before week 0 (scaled units)
  // Seasonality: the basis for every calendar phase 0..52 (row p = phase p, [53][F], the same
  // float values Seasonality::basis produces), and the calendar week of year (phase + 1) of every
  // panel week.
  int harmonics = 0;
  std::vector<float> season_table;
  std::vector<int> week_of_year;  // [weeks]
  // Trend regressor u_t = (t - (Ttr - 1) / 2) / Ttr for the panel weeks (trend_series).
  std::vector<float> trend;  // [weeks]
  int weeks = 0, train_weeks = 0;
  Seasonality season;  // the model's calendar
  // Calendar phase (0..52) of week t counted from the model's first week, also past the panel.
  int phase(int t) const;
};

GraphExport export_graph_params(const FittedModel& model);

}  // namespace mmm
