package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How well the shipped model draws what it is asked: a fixed prompt set, fixed seeds, the engine's
 * own pipeline, and a judge of foreground color, background color and shape.
 *
 * <p>Every (shape, foreground, background) combination once, 168 prompts in three phrasings, one
 * seed each; at least 90% must be right on each of the three (chance: 12.5% for a color, 33% for a
 * shape). The measured figures are in docs/tiny-shapes.md.
 */
class PromptFollowingTest {

  private static final List<String> PHRASINGS =
      List.of("a %s %s on a %s background", "%s %s, %s background", "a %s %s against %s");

  @Test
  void drawsTheAskedColorsAndShapeAtLeastNineTimesInTen() {
    Denoiser denoiser = new Denoiser();
    List<String[]> cases = new ArrayList<>();
    for (String shape : ShapesJudge.SHAPES) {
      for (String fg : ShapesJudge.COLORS) {
        for (String bg : ShapesJudge.COLORS) {
          if (!fg.equals(bg)) {
            cases.add(new String[] {shape, fg, bg});
          }
        }
      }
    }
    int fgHits = 0;
    int bgHits = 0;
    int shapeHits = 0;
    for (int c = 0; c < cases.size(); c++) {
      String[] expected = cases.get(c);
      String prompt =
          String.format(PHRASINGS.get(c % PHRASINGS.size()), expected[1], expected[0], expected[2]);
      GenerationSpec spec =
          GenerationSpec.textToImage(prompt, "", 64, 64, 20, 5.0, "ddim", 1000L + c, 1);
      ShapesJudge.Verdict verdict =
          ShapesJudge.judge(
              denoiser
                  .generate(TinyShapes.model(), spec, StepListener.NONE)
                  .images()
                  .get(0)
                  .image());
      fgHits += expected[1].equals(verdict.foreground()) ? 1 : 0;
      bgHits += expected[2].equals(verdict.background()) ? 1 : 0;
      shapeHits += expected[0].equals(verdict.shape()) ? 1 : 0;
    }
    double n = cases.size();
    System.out.printf(
        "tiny-shapes prompt following over %d prompts: foreground %.1f%%, background %.1f%%, shape"
            + " %.1f%%%n",
        cases.size(), 100 * fgHits / n, 100 * bgHits / n, 100 * shapeHits / n);
    assertThat(fgHits / n).as("foreground color accuracy").isGreaterThanOrEqualTo(0.9);
    assertThat(bgHits / n).as("background color accuracy").isGreaterThanOrEqualTo(0.9);
    assertThat(shapeHits / n).as("shape accuracy").isGreaterThanOrEqualTo(0.9);
  }
}
