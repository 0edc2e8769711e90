package io.github.dl4jgradmon.samples;

import io.github.dl4jgradmon.GradientMonitor;
import io.github.dl4jgradmon.cli.SyntheticData;
import io.github.dl4jgradmon.ui.GradientStatsSink;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What it teaches: the dashboard. The monitor and DL4J's own StatsListener feed one stats storage attached to one UI
 * server: DL4J's pages stay at {@code /train/overview}, the gradient page is at {@code /gradmon}, both for the same
 * session. The URL is printed before training starts, so the page can be watched filling in live.
 *
 * <p>Run: {@code mvn -q -pl samples -am compile exec:java -Dexec.args="dashboard [--seconds N]"}; after training the
 * UI stays up for N seconds (default 30), then the sample exits.
 */
public final class DashboardSample {

    private DashboardSample() {
    }

    public static void main(String[] args) throws InterruptedException {
        int seconds = 30;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seconds") && i + 1 < args.length) {
                seconds = Integer.parseInt(args[++i]);
            }
        }
        StatsStorage storage = new InMemoryStatsStorage();
        UIServer ui = start();
        ui.attach(storage);
        System.out.println("Gradient page: http://localhost:" + ui.getPort() + "/gradmon");
        System.out.println("DL4J's pages:  http://localhost:" + ui.getPort() + "/train/overview");

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).list();
        int nIn = 20;
        for (int i = 0; i < 8; i++) {
            list.layer(new DenseLayer.Builder().nIn(nIn).nOut(32).activation(Activation.SIGMOID).build());
            nIn = 32;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(4)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        // one session for both listeners: DL4J's pages and the gradient page show the same run
        String session = UUID.randomUUID().toString();
        StatsListener stats = new StatsListener(storage, 10);
        stats.setSessionID(session);
        GradientStatsSink sink = GradientStatsSink.to(storage, session);
        GradientMonitor monitor = GradientMonitor.builder().onSnapshot(sink).onAlert(sink).build();
        net.setListeners(stats, monitor);
        List<DataSet> data = SyntheticData.classification(3, 400, 32, 20, 4);
        for (DataSet d : data) {
            net.fit(d);
        }
        System.out.printf(Locale.ROOT, "Trained %d iterations: %d alerts. Serving for %d s.%n", data.size(),
                monitor.alerts().size(), seconds);
        Thread.sleep(seconds * 1000L);
        ui.stop();
        System.exit(0); // the UI server's threads are not daemons
    }

    static UIServer start() {
        try {
            return VertxUIServer.getInstance(9000, false, null);
        } catch (RuntimeException portBusy) {
            return VertxUIServer.getInstance(0, false, null);
        }
    }
}
