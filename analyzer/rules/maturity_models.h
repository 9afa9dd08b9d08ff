// Published maturity models (Microsoft's five levels, Google's three) derived from the eight
// parameters. The mapping is data: the `models` section of rules/models/*.yaml says, for each
// level of a model, which parameters must reach which level. A model level is reached when its
// requirements and those of every level below it hold; an unknown parameter holds none. Each
// requirement outcome cites the parameter's level and the evidence that got it there, so a
// derived level is as traceable as the parameter levels it rests on.
#pragma once
#include <string>
#include <vector>

#include "analyzer/rules/assessment.h"
#include "analyzer/rules/knowledge.h"
#include "analyzer/rules/level_rules.h"

namespace mlm {

struct ModelRequirement {
  std::string parameter;  // parameter id
  int min = 1;            // the parameter level the model level needs
  std::string label;      // which trait of the model level this parameter observes
};

struct ModelLevel {
  int level = 0;
  std::string name;     // "Automated training"
  std::string summary;
  std::vector<ModelRequirement> requires;  // level 0 requires nothing
};

struct MaturityModel {
  std::string id, name, source, description;
  std::vector<ModelLevel> levels;  // 0, 1, ... in order
  std::string file;
};

// Compiles the `models` section. Throws RuleError (file:line) on unknown keys, unknown
// parameters, levels out of order or a requirement above the parameter's top level.
std::vector<MaturityModel> compile_maturity_models(const Knowledge& k, const LevelRuleSet& rules);
void register_maturity_model_sections();

struct ModelRequirementOutcome {
  const ModelRequirement* rule = nullptr;
  std::string parameter_name;
  bool known = false;  // the parameter's level is known
  int actual = 0;      // its level, when known
  bool met = false;
  std::vector<size_t> evidence;  // what met the parameter's requirements up to `min` (or its level)
};

struct ModelLevelOutcome {
  const ModelLevel* rule = nullptr;
  bool met = false;  // its own requirements hold (the model level also needs every level below)
  std::vector<ModelRequirementOutcome> requirements;
};

struct ModelOutcome {
  const MaturityModel* model = nullptr;
  int level = 0;  // the highest level reached with every level below it
  std::vector<ModelLevelOutcome> levels;
  const ModelLevel& reached() const { return *levels[static_cast<size_t>(level)].rule; }
};

std::vector<ModelOutcome> derive_models(const std::vector<MaturityModel>& models, const Assessment& a);

}  // namespace mlm
