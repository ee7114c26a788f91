package dev.continuum.engine;

/**
 * Run in a JVM of its own by {@link SessionSplitTuningTest} with a bad
 * {@code continuum.engine.min-task-work}: prints what opening a session says.
 */
public final class BadThresholdPropertyMain {
    private BadThresholdPropertyMain() {
    }

    public static void main(String[] args) {
        Model model = Model.load(OnnxModels.addRelu().toByteArray());
        try (Session s = model.newSession()) {
            System.out.println("opened");
        } catch (IllegalArgumentException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
