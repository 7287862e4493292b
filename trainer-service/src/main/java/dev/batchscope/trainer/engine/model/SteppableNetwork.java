package dev.batchscope.trainer.engine.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;

/**
 * A MultiLayerNetwork that the engine steps itself. It exists for one reason: DL4J's own {@code fit} hands the
 * updater a workspace manager built from protected workspace names; the engine needs the same one so that its
 * updates run exactly like (and as fast as) DL4J's.
 */
public final class SteppableNetwork extends MultiLayerNetwork {
    private transient LayerWorkspaceMgr trainingWorkspaces;

    public SteppableNetwork(MultiLayerConfiguration conf) {
        super(conf);
    }

    /** The workspace manager that {@code MultiLayerNetwork.fit} passes to its optimizer. */
    public LayerWorkspaceMgr trainingWorkspaces() {
        if (trainingWorkspaces == null) {
            if (getLayerWiseConfigurations().getTrainingWorkspaceMode() == WorkspaceMode.NONE) {
                trainingWorkspaces = LayerWorkspaceMgr.noWorkspaces();
            } else {
                trainingWorkspaces = LayerWorkspaceMgr.builder()
                        .with(ArrayType.ACTIVATIONS, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
                        .with(ArrayType.INPUT, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
                        .with(ArrayType.FF_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
                        .with(ArrayType.BP_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
                        .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
                        .with(ArrayType.RNN_BP_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
                        .with(ArrayType.UPDATER_WORKING_MEM, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG)
                        .build();
                trainingWorkspaces.setHelperWorkspacePointers(getHelperWorkspaces());
            }
        }
        return trainingWorkspaces;
    }
}
