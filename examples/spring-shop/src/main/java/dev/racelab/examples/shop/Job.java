package dev.racelab.examples.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A job in the queue: NEW until a worker claims it. */
@Entity
@Table(name = "shop_job")
public class Job {
    public static final String NEW = "NEW";
    public static final String CLAIMED = "CLAIMED";

    @Id
    private Long id;
    private String status;

    protected Job() {
    }

    public Job(long id) {
        this.id = id;
        this.status = NEW;
    }

    public Long getId() {
        return id;
    }

    public String getStatus() {
        return status;
    }

    public void claim() {
        this.status = CLAIMED;
    }
}
